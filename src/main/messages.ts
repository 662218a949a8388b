/** The few words the main process shows itself (dialogs, the window title), in the user's language (settings.language). */
import type { Settings } from '../shared/types/settings.js';

const en = {
  engineFailed: 'Trainyard could not start its engine',
  importTitle: 'Import LLaMA-Factory configs',
  configs: 'Configs',
  keepRunningTitle: 'Runs keep training',
  keepRunning: (n: number) =>
    `${n === 1 ? '1 run is' : `${n} runs are`} still training. They keep going after Trainyard closes; open Trainyard again to watch them.`,
  ok: 'OK',
  title: (running: number, queued: number) => `Trainyard — ${running} running · ${queued} queued`,
};

const zh: typeof en = {
  engineFailed: 'Trainyard 无法启动引擎',
  importTitle: '导入 LLaMA-Factory 配置',
  configs: '配置文件',
  keepRunningTitle: '训练会继续进行',
  keepRunning: (n: number) => `有 ${n} 个任务仍在训练。关闭 Trainyard 后它们会继续运行；重新打开 Trainyard 即可查看。`,
  ok: '确定',
  title: (running: number, queued: number) => `Trainyard — ${running} 个运行中 · ${queued} 个排队`,
};

export type Messages = typeof en;

export function messages(language: Settings['language'] | undefined): Messages {
  return language === 'zh' ? zh : en;
}
