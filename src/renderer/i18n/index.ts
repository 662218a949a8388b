/** UI strings in English and Simplified Chinese; `t(key, vars)` in components. A key missing in zh is a type error. */
import { useSettings } from '../stores/settings.js';
import { common as enCommon } from './en/common.js';
import { settings as enSettings } from './en/settings.js';
import { views as enViews } from './en/views.js';
import { common as zhCommon } from './zh/common.js';
import { settings as zhSettings } from './zh/settings.js';
import { views as zhViews } from './zh/views.js';

const en = { ...enCommon, ...enSettings, ...enViews };
export type MessageKey = keyof typeof en;
const zh: Record<MessageKey, string> = { ...zhCommon, ...zhSettings, ...zhViews };

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
