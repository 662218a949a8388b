/** Parses a config's text (YAML or JSON) into a comment-keeping document, its plain values, key positions and syntax issues. */
import { LineCounter, isMap, isScalar, parseDocument, type Document } from 'yaml';
import type { ValidationIssue } from '../../shared/types/task.js';

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
}

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
  const msg = e instanceof Error ? e.message : String(e);
  const pos = /position (\d+)/.exec(msg);
  const lc = /line (\d+) column (\d+)/.exec(msg);
  const where = lc ? { line: Number(lc[1]), column: Number(lc[2]) } : pos ? lineCol(text, Number(pos[1])) : {};
  return { severity: 'error', message: `JSON syntax error: ${msg}`, ...where };
}

export function parseConfig(text: string, fileName?: string): ParsedConfig {
  const format = formatOf(fileName, text);
  const out: ParsedConfig = { format, doc: null, data: {}, keyLines: new Map(), raw: new Map(), issues: [] };
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
    out.issues.push({ severity: 'error', message: `YAML syntax error: ${first}`, line: pos.line, column: pos.col });
  }
  if (doc.errors.length) return out;
  out.doc = doc;
  if (doc.contents === null) {
    out.issues.push({ severity: 'error', message: 'The file is empty: a config is a mapping of keys to values.' });
    return out;
  }
  if (!isMap(doc.contents)) {
    out.issues.push({
      severity: 'error',
      message: 'The top level must be a mapping of keys to values (key: value), not a list or a single value.',
      line: 1,
    });
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
  const js = doc.toJS({ maxAliasCount: 100 }) as Record<string, unknown>;
  out.data = js && typeof js === 'object' ? js : {};
  return out;
}
