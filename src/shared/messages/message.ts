/** A message the engine says: a catalogue code with its parameters, and the English text for logs, the CLI and webhooks. */
import { engineEn, type MessageCode } from './catalogue.js';

export type { MessageCode } from './catalogue.js';
/** Values go in as written, except a Message, which is worded in the same language as the message around it. */
export type MessageParams = Record<string, string | number | Message>;

/**
 * What a domain puts where the user will read it (a failure, a validation issue, a GPU notice, a toast, an error).
 * The renderer words `code` with `params` in the user's language; `text` is the same message in English, already
 * filled in, so the CLI, webhooks, logs and an older renderer never need the catalogue.
 */
export interface Message {
  code: MessageCode;
  params?: MessageParams;
  text: string;
}

/**
 * Fills `{name}` placeholders, wording a Message parameter with `word` (English: its text); a placeholder without a
 * value stays as written, so a missing parameter shows.
 */
export function fill(template: string, params?: MessageParams, word: (m: Message) => string = (m) => m.text): string {
  if (!params) return template;
  return template.replace(/\{(\w+)\}/g, (m, k: string) => {
    const v = params[k];
    return v === undefined ? m : typeof v === 'object' ? word(v) : String(v);
  });
}

/** The message for `code`, worded in English for `text`. */
export function msg(code: MessageCode, params?: MessageParams): Message {
  return { code, ...(params ? { params } : {}), text: fill(engineEn[code], params) };
}

/** Text that is not ours to translate (a log line, a path, another program's error): shown as written in every language. */
export function verbatim(text: string): Message {
  return { code: 'verbatim', params: { text }, text };
}

/** A message read back from storage or the wire, where older versions kept plain English strings. */
export function asMessage(value: unknown): Message {
  if (typeof value === 'string') return verbatim(value);
  if (value && typeof value === 'object' && typeof (value as Message).code === 'string' && typeof (value as Message).text === 'string') {
    const m = value as Message;
    // A code this version does not know (a newer engine's database) keeps its English text.
    return Object.hasOwn(engineEn, m.code) ? m : verbatim(m.text);
  }
  return verbatim(String(value ?? ''));
}
