/** 远程引擎的界面文字：设置 → 远程引擎，以及看板上的主机分组。 */
import type { remotes as en } from '../en/remotes.js';

export const remotes: Record<keyof typeof en, string> = {
  'remotes.title': '远程引擎',
  'remotes.hint':
    '其他机器上的 `trainyard serve`：它们的 GPU 各自作为一组出现在本看板上，运行也出现在运行列表中。填写 URL 和其 serve 打印的令牌（经 SSH 访问的主机：`ssh -N -L 7500:127.0.0.1:7433 主机` 后填 http://127.0.0.1:7500）。令牌只保存在本引擎的数据库中，不会再次显示。',
  'remotes.name': '名称',
  'remotes.namePlaceholder': 'box-a（小写字母、数字、-）',
  'remotes.url': 'URL',
  'remotes.token': '令牌',
  'remotes.add': '添加引擎',
  'remotes.remove': '删除',
  'remotes.test': '立即连接',
  'remotes.none': '没有远程引擎。',
  'remotes.state.connecting': '连接中',
  'remotes.state.reachable': '可连接',
  'remotes.state.unreachable': '无法连接',
  'remotes.state.unauthorized': '令牌被拒绝',
  'remotes.lastSeen': '最后响应 {time}',
  'remotes.neverSeen': '从未响应',
  'remotes.box.cards': '{n} 块 GPU',
  'remotes.box.unreachableNote': '无法连接：其上的运行仍在继续，此处显示最后所见的状态。Trainyard 会自动重连。',
  'remotes.box.dropHere': '拖放任务到此处，在 {lane} 上排队',
  'remotes.box.queued': '已在 {box} 上排队',
  'remotes.box.empty': '无排队任务',
  'remotes.box.cancel': '取消',
  'remotes.lane': '{box} · GPU {index}：{name}',
  'remotes.err.add': '无法添加引擎',
  'remotes.err.enqueue': '无法在 {box} 上排队',
};
