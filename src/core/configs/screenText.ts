/** Refuses text that no config can be before any parser sees it: binary content and nesting past a fixed depth (a parser recursing 100 000 levels deep takes the engine down). */
import { msg, type Message } from '../../shared/messages/message.js';

/** LLaMA-Factory configs are flat; 64 levels of brackets or indentation are far beyond any real one. */
export const MAX_NESTING = 64;
/** Indentation in characters beyond which a line counts as too deeply nested (block nesting has no brackets to count). */
const MAX_INDENT = 512;

/** NUL, other C0 controls (bar tab, newlines and form feed), DEL and U+FFFD (what undecodable bytes became). */
function looksBinary(text: string): boolean {
  if (text.includes('\u0000')) return true;
  let odd = 0;
  for (let i = 0; i < text.length; i++) {
    const c = text.charCodeAt(i);
    if ((c < 0x20 && c !== 9 && c !== 10 && c !== 13 && c !== 12) || c === 0x7f || c === 0xfffd) odd++;
  }
  return odd > Math.max(8, text.length / 100);
}

/** The deepest nesting of the text: flow brackets outside quotes and comments, compact `- - -` chains, indentation. */
export function nestingDepth(text: string): number {
  let depth = 0;
  let deepest = 0;
  let quote: '"' | "'" | null = null;
  let lineStart = true;
  let indent = 0;
  let chain = 0;
  for (let i = 0; i < text.length; i++) {
    const ch = text[i]!;
    if (ch === '\n') {
      lineStart = true;
      indent = 0;
      chain = 0;
      continue;
    }
    if (quote) {
      if (ch === '\\' && quote === '"') i++;
      else if (ch === quote) quote = null;
      continue;
    }
    if (lineStart) {
      if (ch === ' ' || ch === '\t') {
        if (++indent > MAX_INDENT) return MAX_NESTING + 1;
        continue;
      }
      // `- - - x` and `? ? x` nest one level per marker on a single line.
      if ((ch === '-' || ch === '?') && (text[i + 1] === ' ' || text[i + 1] === '\t')) {
        deepest = Math.max(deepest, ++chain);
        continue;
      }
      lineStart = false;
    }
    if (ch === '#' && (i === 0 || /\s/.test(text[i - 1]!))) {
      const end = text.indexOf('\n', i);
      if (end === -1) break;
      i = end - 1;
    } else if (ch === '"' || ch === "'") quote = ch;
    else if (ch === '[' || ch === '{') deepest = Math.max(deepest, ++depth);
    else if ((ch === ']' || ch === '}') && depth > 0) depth--;
    if (deepest > MAX_NESTING) return deepest;
  }
  return deepest;
}

/** Why this text is refused as a config (worded to follow "This file is …"), or null when a parser may read it. */
export function screenConfigText(text: string): Message | null {
  if (looksBinary(text)) return msg('config.refused.binary');
  if (nestingDepth(text) > MAX_NESTING) return msg('config.refused.nesting', { max: MAX_NESTING });
  return null;
}
