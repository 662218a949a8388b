/** board 功能的简体中文文案。 */
import type { board as en } from '../en/board.js';

export const board: Record<keyof typeof en, string> = {
  'board.title': '看板',
  'board.noTasks': '还没有任务。把 LLaMA-Factory 配置文件（YAML/JSON）或文件夹拖到此窗口。',
};
