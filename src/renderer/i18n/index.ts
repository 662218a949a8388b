/** UI strings in English and Simplified Chinese; `t(key, vars)` in components. A key missing in zh is a type error. */
import { useSettings } from '../stores/settings.js';
import { board as enBoard } from './en/board.js';
import { chat as enChat } from './en/chat.js';
import { common as enCommon } from './en/common.js';
import { compare as enCompare } from './en/compare.js';
import { gpus as enGpus } from './en/gpus.js';
import { runs as enRuns } from './en/runs.js';
import { settings as enSettings } from './en/settings.js';
import { board as zhBoard } from './zh/board.js';
import { chat as zhChat } from './zh/chat.js';
import { common as zhCommon } from './zh/common.js';
import { compare as zhCompare } from './zh/compare.js';
import { gpus as zhGpus } from './zh/gpus.js';
import { runs as zhRuns } from './zh/runs.js';
import { settings as zhSettings } from './zh/settings.js';

// One file per feature and language, so each feature's strings change in one place.
const en = { ...enCommon, ...enSettings, ...enBoard, ...enGpus, ...enRuns, ...enCompare, ...enChat };
export type MessageKey = keyof typeof en;
const zh: Record<MessageKey, string> = { ...zhCommon, ...zhSettings, ...zhBoard, ...zhGpus, ...zhRuns, ...zhCompare, ...zhChat };

export type Language = 'en' | 'zh';
const dictionaries: Record<Language, Record<MessageKey, string>> = { en, zh };

export function translate(lang: Language, key: MessageKey, vars?: Record<string, string | number>): string {
  const text = dictionaries[lang][key] ?? en[key] ?? key;
  return vars ? text.replace(/\{(\w+)\}/g, (m, k: string) => (k in vars ? String(vars[k]) : m)) : text;
}

export type Translate = (key: MessageKey, vars?: Record<string, string | number>) => string;

export function useT(): Translate {
  const lang = useSettings((s) => s.settings?.language ?? 'en');
  return (key, vars) => translate(lang, key, vars);
}
