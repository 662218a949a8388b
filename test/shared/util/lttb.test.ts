/** LTTB keeps endpoints and extremes of a curve. */
import { describe, expect, it } from 'vitest';
import { lttb } from '../../../src/shared/util/lttb.js';

describe('lttb', () => {
  it('keeps first, last and a spike, and returns exactly the threshold', () => {
    const data = Array.from({ length: 1000 }, (_, i) => ({ x: i, y: i === 500 ? 100 : Math.sin(i / 50) }));
    const out = lttb(data, 50, (d) => d.x, (d) => d.y);
    expect(out).toHaveLength(50);
    expect(out[0]!.x).toBe(0);
    expect(out.at(-1)!.x).toBe(999);
    expect(out.some((d) => d.x === 500)).toBe(true);
    expect(out.map((d) => d.x)).toEqual([...out.map((d) => d.x)].sort((a, b) => a - b));
  });

  it('returns short inputs unchanged', () => {
    expect(lttb([1, 2, 3], 10, (d) => d, (d) => d)).toEqual([1, 2, 3]);
  });
});
