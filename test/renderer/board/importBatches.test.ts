/** Big browser drops are sent to the engine in batches under its message limit, without losing or reordering files. */
import { describe, expect, it } from 'vitest';
import { batchesBySize } from '../../../src/renderer/stores/tasks.js';

const f = (name: string, n: number) => ({ name, content: 'x'.repeat(n) });

describe('batchesBySize', () => {
  it('keeps every file, in order, with each batch under the limit', () => {
    const files = Array.from({ length: 17 }, (_, i) => f(`c${i}.json`, 1_900_000));
    const batches = batchesBySize(files, 8_000_000);
    expect(batches.flat().map((x) => x.name)).toEqual(files.map((x) => x.name));
    for (const b of batches) expect(b.reduce((n, x) => n + x.content.length, 0)).toBeLessThanOrEqual(8_000_000);
    expect(batches).toHaveLength(5);
  });

  it('sends a single file larger than the limit on its own, and nothing for no files', () => {
    expect(batchesBySize([f('a', 10), f('big', 100), f('b', 10)], 50).map((b) => b.map((x) => x.name))).toEqual([['a'], ['big'], ['b']]);
    expect(batchesBySize([], 50)).toEqual([]);
  });
});
