/** 通知与引擎自身状态的消息（与 en/system.ts 同一组代码）。 */
import type { system as en } from '../en/system.js';

export const system: Record<keyof typeof en, string> = {
  'toast.runFinished': '{run} 已完成',
  'toast.runFinishedLoss': '最终 loss {loss}',
  'toast.runFinishedBody': '运行已完成。',
  'toast.runFailed': '{run} 失败：{kind}',
  'toast.runStopped': '{run} 已停止',
  'toast.runStoppedBody': '运行已被停止。',
  'toast.webhookRefused': 'Webhook 拒绝了消息',
  'toast.webhookRefusedBody': '{url} 对运行“{run}”返回了 {status}。',
  'toast.webhookUnreachable': '无法连接 Webhook',
  'toast.webhookUnreachableBody': '{url}：{error}（运行“{run}”）。',
};
