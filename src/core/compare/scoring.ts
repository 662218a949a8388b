/** Scores a model's answer against the expected one: exact match, contains, and ROUGE-L (LCS F1 on tokens). */

// CJK ideographs, kana, hangul and full-width forms: each character is a token (there are no spaces to split on).
const CJK = /[\u3040-\u30ff\u3400-\u4dbf\u4e00-\u9fff\uac00-\ud7af\uf900-\ufaff\uff00-\uffef]/u;

/** Lower-cased tokens: runs of letters/digits, and every CJK character on its own; punctuation is dropped. */
export function tokenize(text: string): string[] {
  const out: string[] = [];
  let word = '';
  for (const ch of text.normalize('NFKC').toLowerCase()) {
    if (CJK.test(ch)) {
      if (word) out.push(word);
      word = '';
      out.push(ch);
    } else if (/[\p{L}\p{N}]/u.test(ch)) {
      word += ch;
    } else {
      if (word) out.push(word);
      word = '';
    }
  }
  if (word) out.push(word);
  return out;
}

/** Length of the longest common subsequence, two rows of DP (answers can be long; O(n·m) time, O(m) memory). */
export function lcsLength(a: readonly string[], b: readonly string[]): number {
  if (!a.length || !b.length) return 0;
  let prev = new Array<number>(b.length + 1).fill(0);
  let cur = new Array<number>(b.length + 1).fill(0);
  for (let i = 1; i <= a.length; i++) {
    for (let j = 1; j <= b.length; j++) {
      cur[j] = a[i - 1] === b[j - 1] ? prev[j - 1]! + 1 : Math.max(prev[j]!, cur[j - 1]!);
    }
    [prev, cur] = [cur, prev];
  }
  return prev[b.length]!;
}

/** ROUGE-L F1 (β = 1) between a candidate and a reference, in [0, 1]. Both empty → 1; one empty → 0. */
export function rougeL(candidate: string, reference: string): number {
  const c = tokenize(candidate);
  const r = tokenize(reference);
  if (!c.length && !r.length) return 1;
  const lcs = lcsLength(c, r);
  if (!lcs) return 0;
  const p = lcs / c.length;
  const rec = lcs / r.length;
  return (2 * p * rec) / (p + rec);
}

/** Whitespace and case do not count; punctuation at the ends does not either ("30 days." = "30 days"). */
export function normaliseAnswer(s: string): string {
  return s
    .normalize('NFKC')
    .toLowerCase()
    .replace(/\s+/g, ' ')
    .trim()
    .replace(/^[\p{P}\s]+|[\p{P}\s]+$/gu, '');
}

export interface Score {
  exact: boolean;
  contains: boolean;
  rougeL: number;
}

export function scoreAnswer(answer: string, expected: string): Score {
  const a = normaliseAnswer(answer);
  const e = normaliseAnswer(expected);
  return { exact: a === e, contains: e.length > 0 && a.includes(e), rougeL: rougeL(answer, expected) };
}
