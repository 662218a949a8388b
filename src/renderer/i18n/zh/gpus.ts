/** gpus 功能的简体中文文案。 */
import type { gpus as en } from '../en/gpus.js';

export const gpus: Record<keyof typeof en, string> = {
  'gpus.title': 'GPU',
};
