/** One way to build a validation issue: a catalogue Message, its English text kept as `message` for the CLI and logs. */
import { msg, verbatim, type Message } from '../../shared/messages/message.js';
import type { IssueSeverity, ValidationIssue } from '../../shared/types/task.js';

export interface IssuePlace {
  key?: string;
  line?: number;
  column?: number;
  suggestion?: string;
}

export function issue(severity: IssueSeverity, said: Message, place: IssuePlace = {}): ValidationIssue {
  return { severity, said, message: said.text, ...place };
}

/** An optional fragment left out: worded as nothing in every language. */
export const NOTHING: Message = verbatim('');

/** " Did you mean X?" when there is a closest name, else nothing. */
export const didYouMean = (near: string | null | undefined): Message => (near ? msg('config.hint.didYouMean', { near }) : NOTHING);

/** Another program's error text (a parser's, Node's): not ours to translate. */
export const theirs = (e: unknown): Message => verbatim(e instanceof Error ? e.message : String(e));
