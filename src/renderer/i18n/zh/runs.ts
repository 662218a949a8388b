/** runs 功能的简体中文文案。 */
import type { runs as en } from '../en/runs.js';

export const runs: Record<keyof typeof en, string> = {
  'runs.title': '运行',
  'runs.none': '还没有运行。在看板上把任务拖到 GPU 卡片上即可开始。',
};
