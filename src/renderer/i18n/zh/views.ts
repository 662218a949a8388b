/** 主视图标题与空状态的简体中文文案。 */
import type { views as en } from '../en/views.js';

export const views: Record<keyof typeof en, string> = {
  'board.title': '看板',
  'board.noTasks': '还没有任务。把 LLaMA-Factory 配置文件（YAML/JSON）或文件夹拖到此窗口。',
  'runs.title': '运行',
  'runs.none': '还没有运行。在看板上把任务拖到 GPU 卡片上即可开始。',
  'compare.title': '对比',
  'compare.none': '完成的运行会并排显示在这里。',
  'chat.title': '对话',
  'chat.none': '选择一个已完成的运行，与它对话。',
};
