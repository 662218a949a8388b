/** Parses a config's text (YAML or JSON) into a comment-keeping document, its plain values, key positions and syntax issues. */
import { LineCounter, isMap, isScalar, parseDocument, type Document } from 'yaml';
import type { ValidationIssue } from '../../shared/types/task.js';
import { msg, verbatim, type Message } from '../../shared/messages/message.js';
import { issue, theirs } from './issue.js';
import { screenConfigText } from './screenText.js';

export interface ParsedConfig {
  format: 'yaml' | 'json';
  /** null when the text could not be parsed at all. */
  doc: Document | null;
  /** Top-level values as plain JS (empty when the top level is not a mapping). */
  data: Record<string, unknown>;
  /** 1-based line of each top-level key. */
  keyLines: Map<string, number>;
  /** The scalar's source text and style, for checks the parsed value hides (PyYAML reads `1e-4` as a string). */
  raw: Map<string, { source: string; quoted: boolean }>;
  issues: ValidationIssue[];
  /**
   * Why the text was refused outright (binary, nesting too deep, an alias bomb): unlike a syntax error, nothing a
   * person would fix in an editor, so an import skips the file instead of keeping it as a broken task.
   */
  refused: Message | null;
}

/** Aliases (`*name`) a config may expand: a "billion laughs" file multiplies nine aliases nine times over. */
const MAX_ALIAS_COUNT = 100;

export function formatOf(fileName: string | undefined, text: string): 'yaml' | 'json' {
  if (fileName && /\.json$/i.test(fileName)) return 'json';
  if (!fileName && /^\s*\{/.test(text)) return 'json';
  return 'yaml';
}

/** Line/column of a character offset (JSON.parse reports offsets). */
function lineCol(text: string, offset: number): { line: number; column: number } {
  const before = text.slice(0, offset);
  const line = before.split('\n').length;
  return { line, column: offset - before.lastIndexOf('\n') };
}

function jsonError(text: string, e: unknown): ValidationIssue {
  const detail = theirs(e);
  const pos = /position (\d+)/.exec(detail.text);
  const lc = /line (\d+) column (\d+)/.exec(detail.text);
  const where = lc ? { line: Number(lc[1]), column: Number(lc[2]) } : pos ? lineCol(text, Number(pos[1])) : {};
  return issue('error', msg('config.parse.json', { detail }), where);
}

export function parseConfig(text: string, fileName?: string): ParsedConfig {
  const format = formatOf(fileName, text);
  const out: ParsedConfig = { format, doc: null, data: {}, keyLines: new Map(), raw: new Map(), issues: [], refused: null };
  const refuse = (why: Message) => {
    out.refused = why;
    out.issues.push(issue('error', msg('config.parse.refused', { why })));
    return out;
  };
  const screened = screenConfigText(text);
  if (screened) return refuse(screened);
  if (format === 'json') {
    try {
      JSON.parse(text);
    } catch (e) {
      out.issues.push(jsonError(text, e));
      return out;
    }
  }
  // JSON is YAML 1.2, so one parser gives key positions for both formats.
  const lc = new LineCounter();
  const doc = parseDocument(text, { lineCounter: lc, keepSourceTokens: false, uniqueKeys: true, prettyErrors: true });
  for (const err of doc.errors) {
    const pos = lc.linePos(err.pos[0]);
    const first = err.message.split('\n')[0] ?? err.message;
    out.issues.push(issue('error', msg('config.parse.yaml', { detail: verbatim(first) }), { line: pos.line, column: pos.col }));
  }
  if (doc.errors.length) return out;
  out.doc = doc;
  if (doc.contents === null) {
    out.issues.push(issue('error', msg('config.parse.empty')));
    return out;
  }
  if (!isMap(doc.contents)) {
    out.issues.push(issue('error', msg('config.parse.notMapping'), { line: 1 }));
    return out;
  }
  for (const pair of doc.contents.items) {
    const keyNode = pair.key;
    const key = isScalar(keyNode) ? String(keyNode.value) : String(keyNode);
    if (isScalar(keyNode) && keyNode.range) out.keyLines.set(key, lc.linePos(keyNode.range[0]).line);
    if (isScalar(pair.value) && pair.value.range) {
      const [a, b] = pair.value.range;
      const type = pair.value.type;
      out.raw.set(key, { source: text.slice(a, b), quoted: type === 'QUOTE_DOUBLE' || type === 'QUOTE_SINGLE' });
    }
  }
  let js: unknown;
  try {
    js = doc.toJS({ maxAliasCount: MAX_ALIAS_COUNT });
  } catch (e) {
    out.doc = null;
    const why = theirs(e);
    return refuse(/alias/i.test(why.text) ? msg('config.refused.aliases', { max: MAX_ALIAS_COUNT }) : msg('config.refused.unreadable', { detail: why }));
  }
  out.data = js && typeof js === 'object' ? (js as Record<string, unknown>) : {};
  return out;
}
