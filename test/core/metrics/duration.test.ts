/** parseDuration: the digits-only fast path of `H:MM:SS` reads every string exactly as the general reading does. */
import { describe, expect, it } from 'vitest';
import { parseDuration } from '../../../src/core/metrics/record.js';

/** The general reading (what parseDuration did for every `H:MM:SS` before the fast path), as the oracle. */
function general(t: string): number | null {
  const a = t.indexOf(':');
  const b = t.indexOf(':', a + 1);
  if (a > 0 && b === a + 3 && t.length === b + 3 && t.indexOf(':', b + 1) === -1) {
    const h = Number(t.slice(0, a));
    const m = Number(t.slice(a + 1, b));
    const sec = Number(t.slice(b + 1));
    if (Number.isInteger(h) && h >= 0 && Number.isInteger(m) && Number.isInteger(sec) && t.charCodeAt(0) !== 32) return h * 3600 + m * 60 + sec;
  }
  const r = /^\s*(?:(-?\d+) days?,\s*)?(?:(\d+):)?(\d{1,2}):(\d{2}(?:\.\d+)?)\s*$/.exec(t);
  return r ? Number(r[1] ?? 0) * 86400 + Number(r[2] ?? 0) * 3600 + Number(r[3]) * 60 + Number(r[4]) : null;
}

describe('parseDuration', () => {
  it('reads H:MM:SS as LLaMA-Factory writes it', () => {
    expect(parseDuration('0:00:19')).toBe(19);
    expect(parseDuration('2:43:42')).toBe(2 * 3600 + 43 * 60 + 42);
    expect(parseDuration('123:04:05')).toBe(123 * 3600 + 4 * 60 + 5);
    expect(parseDuration('4 days, 5:06:09')).toBe(4 * 86400 + 5 * 3600 + 6 * 60 + 9);
  });

  it('agrees with the general reading on odd and generated strings', () => {
    const odd = ['1e2:00:00', '\t1:00:00', ' 1:00:00', '1:-5:00', '1: 5:00', '1:05: 9', '-0:00:00', '+1:00:00', '0x1:00:00', '1.0:00:00', '1:0a:00', '12345678901234567:00:00', '123456789012345:59:59', '::00', '1:00:00:00', '1:00', '01:02:03', '1:02:03.5'];
    for (const t of odd) expect(Object.is(parseDuration(t), general(t)), t).toBe(true);
    const chars = '0123456789: -+.e\t';
    let a = 11;
    for (let i = 0; i < 20000; i++) {
      let t = '';
      const len = 5 + (i % 6);
      for (let j = 0; j < len; j++) {
        a = (a * 1103515245 + 12345) % 2147483648;
        t += j === len - 3 || j === len - 6 ? ':' : chars[a % chars.length];
      }
      expect(Object.is(parseDuration(t), general(t)), JSON.stringify(t)).toBe(true);
    }
  });
});
