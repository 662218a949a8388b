/** 应用框架、连接状态和通用控件的简体中文文案。 */
import type { common as en } from '../en/common.js';

export const common: Record<keyof typeof en, string> = {
  'app.name': 'Trainyard',
  'nav.main': '主导航',
  'nav.board': '看板',
  'nav.runs': '运行',
  'nav.compare': '对比',
  'nav.chat': '对话',
  'nav.settings': '设置',
  'conn.connecting': '正在连接…',
  'conn.connected': '已连接',
  'conn.reconnecting': '正在重新连接…',
  'conn.unreachable': '无法连接引擎',
  'conn.unauthorized': '访问令牌缺失或错误',
  'conn.unreachableTitle': 'Trainyard 无法连接到引擎',
  'conn.unreachableBody':
    '引擎未运行或连接已断开。训练任务仍在后台继续；重新启动引擎（`npx trainyard serve`）后，本页面会自动重连。',
  'conn.unauthorizedTitle': '此页面需要访问令牌',
  'conn.unauthorizedBody':
    '引擎拒绝了此页面：令牌缺失或已过期（引擎每次启动都会打印新令牌）。请打开 `trainyard serve` 打印的完整网址（以 ?token=… 结尾）。',
  'conn.retrying': '正在自动重试…',
  'common.loading': '加载中…',
  'common.cancel': '取消',
  'common.save': '保存',
  'common.close': '关闭',
  'common.delete': '删除',
  'common.retry': '重试',
  'common.copy': '复制',
  'common.copied': '已复制',
  'common.none': '无',
  'common.error': '错误',
  'common.dismiss': '关闭',
  'toast.title': '通知',
};
