/** The incremental -lms parser: chunk boundaries anywhere, ticks per GPU set, garbage reported, never thrown. */
import { readFileSync } from 'node:fs';
import { describe, expect, it } from 'vitest';
import { StreamParser, type StreamTick } from '../../../src/core/gpu/streamParser.js';
import { fixture } from '../../helpers/fixtures.js';

const line = (i: number, used: number) =>
  `${i}, GPU-5eed0000-0000-4000-8000-00000000000${i}, NVIDIA H100 80GB HBM3, 00000000:18:00.0, 580.159.04, 81559, ${used}, ${81559 - used}, 7, 3, 35, 71.50, 700.00, 1980, 2619, P0, Default, Disabled\n`;

function collect(expected: number, fields?: string[]) {
  const ticks: StreamTick[] = [];
  const p = new StreamParser((t) => ticks.push(t), () => expected, fields);
  return { p, ticks };
}

describe('StreamParser', () => {
  it('emits one tick per complete set of GPUs, whatever the chunking', () => {
    const text = [0, 1, 2, 3].map((i) => line(i, 100 + i)).join('') + [0, 1, 2, 3].map((i) => line(i, 200 + i)).join('');
    for (const size of [1, 7, 64, text.length]) {
      const { p, ticks } = collect(4);
      for (let at = 0; at < text.length; at += size) p.push(text.slice(at, at + size));
      expect(ticks.map((t) => t.gpus.map((g) => g.memoryUsedMiB))).toEqual([
        [100, 101, 102, 103],
        [200, 201, 202, 203],
      ]);
    }
  });

  it('holds a partial last line until its newline arrives', () => {
    const { p, ticks } = collect(1);
    const l = line(0, 4242);
    p.push(l.slice(0, 30));
    expect(ticks).toHaveLength(0);
    p.push(l.slice(30));
    expect(ticks[0]!.gpus[0]!.memoryUsedMiB).toBe(4242);
  });

  it('closes a tick early when an index repeats (a GPU dropped its line)', () => {
    const { p, ticks } = collect(2);
    p.push(line(0, 1) + line(0, 2) + line(1, 3));
    expect(ticks.map((t) => t.gpus.map((g) => g.index))).toEqual([[0], [0, 1]]);
  });

  it('skips blank lines, reads [N/A] as null and a header as no garbage', () => {
    const { p, ticks } = collect(1);
    p.push('index, uuid, name\n\n\r\n');
    p.push('0, GPU-aa, NVIDIA A100, [N/A], [N/A], [N/A], [N/A], [N/A], [Not Supported], [N/A], [N/A], [N/A], [N/A], [N/A], [N/A], [N/A], [N/A], Enabled\n');
    expect(ticks).toHaveLength(1);
    expect(ticks[0]!.bad).toEqual([]);
    expect(ticks[0]!.gpus[0]).toMatchObject({ memoryTotalMiB: null, utilizationGpuPct: null, migMode: 'Enabled' });
  });

  it('reports a stream of garbage as a GPU-less tick instead of waiting forever', () => {
    const { p, ticks } = collect(2);
    p.push('\u0000\u007f@@ junk\n####\nNVML: ???\nmore junk, , ,\n');
    expect(ticks).toHaveLength(1);
    expect(ticks[0]!.gpus).toEqual([]);
    expect(ticks[0]!.bad.length).toBe(4);
  });

  it('replays the real H200 -lms 500 recording', () => {
    const { p, ticks } = collect(1, ['index', 'memory.used', 'utilization.gpu', 'power.draw']);
    const text = readFileSync(fixture('nvidia-smi/h200-1gpu/stream-lms500.csv'), 'utf8');
    for (let at = 0; at < text.length; at += 13) p.push(text.slice(at, at + 13));
    p.flush();
    expect(ticks).toHaveLength(49);
    expect(ticks.every((t) => t.bad.length === 0)).toBe(true);
    expect(ticks.map((t) => t.gpus[0]!.powerDrawW).at(-1)).toBe(77.58);
  });
});
