/** The editor's YAML help from the key catalogue: completion of top-level keys, hover docs, and issues placed at their line. */
import type { CompletionContext, CompletionResult } from '@codemirror/autocomplete';
import type { Diagnostic } from '@codemirror/lint';
import type { Text } from '@codemirror/state';
import type { EditorKey } from '../../../shared/contract/tasks.js';
import type { ValidationIssue } from '../../../shared/types/task.js';
import { issueSaid, type Say } from '../../i18n/index.js';

/** A top-level key being typed at the start of a line: LLaMA-Factory configs are flat, so only column 0 completes. */
export function completeKeys(keys: EditorKey[]) {
  return (ctx: CompletionContext): CompletionResult | null => {
    const word = ctx.matchBefore(/^[A-Za-z_][\w.]*/);
    if (!word || (word.from === word.to && !ctx.explicit)) return null;
    if (ctx.state.doc.lineAt(ctx.pos).from !== word.from) return null;
    return {
      from: word.from,
      options: keys.map((k) => ({ label: k.key, type: 'property', detail: k.type, info: k.help, apply: `${k.key}: ` })),
      validFor: /^[\w.]*$/,
    };
  };
}

/** The key whose name is under `pos` (the part before the colon of a `key: value` line), or null. */
export function keyAt(doc: Text, pos: number): { key: string; from: number; to: number } | null {
  const line = doc.lineAt(pos);
  const m = /^([A-Za-z_][\w.]*)\s*:/.exec(line.text);
  if (!m) return null;
  const from = line.from;
  const to = line.from + m[1]!.length;
  return pos >= from && pos <= to ? { key: m[1]!, from, to } : null;
}

/** Issues as diagnostics, worded by `say` (the user's language): at their line when the engine gave one, else at the key's line, else at the top. */
export function issuesToDiagnostics(doc: Text, issues: ValidationIssue[], say: Say): Diagnostic[] {
  return issues.map((i) => {
    let lineNo = i.line && i.line >= 1 && i.line <= doc.lines ? i.line : null;
    if (lineNo === null && i.key) {
      for (let n = 1; n <= doc.lines; n++) {
        if (new RegExp(`^${i.key.replace(/[.*+?^${}()|[\]\\]/g, '\\$&')}\\s*:`).test(doc.line(n).text)) {
          lineNo = n;
          break;
        }
      }
    }
    const line = doc.line(lineNo ?? 1);
    return {
      from: line.from,
      to: Math.max(line.from, line.to),
      severity: i.severity === 'error' ? 'error' : i.severity === 'warning' ? 'warning' : 'info',
      message: say(issueSaid(i)),
    };
  });
}
