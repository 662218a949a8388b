/**
 * UI strings in English and Simplified Chinese: `t(key, vars)` for the renderer's own words, `say(message)` for what the
 * engine says (a code with parameters, from the catalogue in src/shared/messages). A key missing in zh is a type error.
 */
import { engineEn } from '../../shared/messages/catalogue.js';
import { asMessage, fill, msg, type Message } from '../../shared/messages/message.js';
import { errorTitle, type RpcError } from '../../shared/rpc/errors.js';
import { engineZh } from '../../shared/messages/zhCatalogue.js';
import { useSettings } from '../stores/settings.js';
import { advice as enAdvice } from './en/advice.js';
import { board as enBoard } from './en/board.js';
import { chat as enChat } from './en/chat.js';
import { editor as enEditor } from './en/editor.js';
import { common as enCommon } from './en/common.js';
import { compare as enCompare } from './en/compare.js';
import { gpus as enGpus } from './en/gpus.js';
import { remotes as enRemotes } from './en/remotes.js';
import { runs as enRuns } from './en/runs.js';
import { settings as enSettings } from './en/settings.js';
import { advice as zhAdvice } from './zh/advice.js';
import { board as zhBoard } from './zh/board.js';
import { chat as zhChat } from './zh/chat.js';
import { editor as zhEditor } from './zh/editor.js';
import { common as zhCommon } from './zh/common.js';
import { compare as zhCompare } from './zh/compare.js';
import { gpus as zhGpus } from './zh/gpus.js';
import { remotes as zhRemotes } from './zh/remotes.js';
import { runs as zhRuns } from './zh/runs.js';
import { settings as zhSettings } from './zh/settings.js';

// One file per feature and language, so each feature's strings change in one place.
const en = { ...enCommon, ...enSettings, ...enBoard, ...enGpus, ...enRuns, ...enCompare, ...enChat, ...enAdvice, ...enEditor, ...enRemotes };
export type MessageKey = keyof typeof en;
const zh: Record<MessageKey, string> = { ...zhCommon, ...zhSettings, ...zhBoard, ...zhGpus, ...zhRuns, ...zhCompare, ...zhChat, ...zhAdvice, ...zhEditor, ...zhRemotes };

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

const engineDictionaries: Record<Language, Record<string, string>> = { en: engineEn, zh: engineZh };

/**
 * An engine message in `lang`: its code's template filled with its parameters, a nested message worded the same way.
 * A code this renderer does not know (a newer engine) shows the engine's English text rather than a key.
 */
export function say(lang: Language, m: Message): string {
  const dict = engineDictionaries[lang];
  const template = Object.hasOwn(dict, m.code) ? dict[m.code] : undefined;
  return template === undefined ? m.text : fill(template, m.params, (inner) => say(lang, inner));
}

export type Say = (m: Message) => string;

/** What a validation issue says; one from an engine older than `said` (plain English `message`) shows as written. */
export function issueSaid(i: { said?: unknown; message?: unknown }): Message {
  return asMessage(i.said ?? i.message);
}

/** Why an import skipped a file; a skip from an engine older than `said` (plain English `reason`) shows as written. */
export function skipSaid(s: { reason: string; said?: unknown }): Message {
  return asMessage(s.said ?? s.reason);
}

export function useSay(): Say {
  const lang = useSettings((s) => s.settings?.language ?? 'en');
  return (m) => say(lang, m);
}

/**
 * An engine error in `lang`: its Message when the engine sent one; otherwise the English details after the error
 * code's name in the user's language (so a Chinese reader always learns what kind of problem it is).
 */
export function sayError(lang: Language, e: RpcError): string {
  if (e.said) return say(lang, e.said);
  return lang === 'en' ? e.message : `${say(lang, msg(errorTitle(e.code)))}：${e.message}`;
}
