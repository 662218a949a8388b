/** compare 功能的简体中文文案。 */
import type { compare as en } from '../en/compare.js';

export const compare: Record<keyof typeof en, string> = {
  'compare.title': '对比',
  'compare.none': '完成的运行会并排显示在这里。',
};
