/** 远程引擎的消息（与 en/remotes.ts 的代码一一对应）。 */
export const remotes = {
  'remotes.refused': '{url} 上的引擎拒绝了令牌（HTTP {status}）。请复制其 serve 打印的令牌，删除该主机后重新添加。',
  'remotes.httpStatus': '{url} 上的引擎返回了 HTTP {status}，没有建立连接。',
  'remotes.down': '无法连接 {url}：{detail}',
  'remotes.closed': '与 {url} 的连接已关闭（{detail}），正在重连。',
  'remotes.noAnswer': '{url} 已无响应（{seconds} 秒内无 pong），正在重连。',
  'remotes.unreachable': '主机 {box} 无法连接；其上的运行仍在继续。请在其恢复后重试。',
  'remotes.unknownBox': '没有名为 {box} 的远程引擎。',
  'remotes.fitNotReachable': '{box} 当前{state}',
  'remotes.state.connecting': '正在连接',
  'remotes.state.reachable': '可连接',
  'remotes.state.unreachable': '无法连接',
  'remotes.state.unauthorized': '拒绝了令牌',
  'remotes.fitBoxPlaces': '{box}：由该机器自行安排',
  'remotes.fitFree': '{box}：GPU {index} 空闲 {free} GiB',
  'remotes.notHere': '{run} 运行在主机 {box} 上：评估、抽查、导出和 TensorBoard 需要该运行的文件，只能在 {box} 的 Trainyard 中使用。',
} as const;
