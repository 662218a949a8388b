/** Slurm 作业未能完成时的说明（与 en/slurm.ts 同一组代码）。 */
import type { slurm as en } from '../en/slurm.js';

export const slurm: Record<keyof typeof en, string> = {
  'slurm.oom': 'Slurm 作业 {job} 内存不足{reason}。',
  'slurm.fix.oom': '申请更多内存（节点更大的分区），或调小 per_device_train_batch_size / cutoff_len。',
  'slurm.timeout': 'Slurm 作业 {job} 达到时间上限{reason}。',
  'slurm.fix.timeout': '设置更长的时间上限（设置 → Slurm 或任务中），或从最后一个 checkpoint 继续。',
  'slurm.nodeFail': 'Slurm 作业 {job} 的一个节点故障{reason}。',
  'slurm.fix.nodeFail': '从最后一个 checkpoint 继续；Slurm 会将故障节点设为 drain。',
  'slurm.cancelled': 'Slurm 作业 {job} 在 Trainyard 之外被取消{reason}。',
  'slurm.fix.cancelled': '有人执行了 scancel，或管理员/调度器取消了它；请重新排队。',
  'slurm.deadline': 'Slurm 作业 {job} 错过了截止时间{reason}。',
  'slurm.fix.deadline': '以更晚的截止时间重新排队。',
  'slurm.ended': 'Slurm 作业 {job} 以 {state} 结束{exit}{reason}。',
  'slurm.exitCode': '，退出码 {code}',
  'slurm.reason': '（{reason}）',
  'slurm.fix.ended': '训练进程的输出在运行的控制台日志中。',
  'slurm.refused': 'Slurm 拒绝了该作业：{detail}',
  'slurm.fix.refused': '检查分区、账户、QoS 和时间上限（设置 → Slurm 或任务中），然后重新排队。',
  'slurm.forgotten': 'Slurm 已不认识作业 {job}，且它没有留下退出状态。',
  'slurm.fix.forgotten': '查看运行的控制台日志；如果没有完成，请重新排队。',
};
