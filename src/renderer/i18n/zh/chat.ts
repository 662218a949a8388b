/** chat 功能的简体中文文案。 */
import type { chat as en } from '../en/chat.js';

export const chat: Record<keyof typeof en, string> = {
  'chat.title': '对话',
  'chat.none': '选择一个已完成的运行，与它对话。',
};
