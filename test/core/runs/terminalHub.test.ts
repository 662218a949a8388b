/** Terminal flow control: replay first, batching, pause past the window, fresh replay after catching up. */
import { describe, expect, it, vi } from 'vitest';
import { TerminalHub } from '../../../src/core/runs/terminalHub.js';

describe('TerminalHub', () => {
  it('replays, batches, pauses a slow viewer and replays again when it catches up; a fast viewer gets everything', () => {
    vi.useFakeTimers();
    try {
      let screen = 'SCREEN\n';
      const hub = new TerminalHub(() => screen, { batchMs: 16, batchBytes: 100, highWater: 300, lowWater: 50 });
      const slow: { data: string; replay?: boolean }[] = [];
      const fast: { data: string; replay?: boolean }[] = [];
      hub.add('slow', 'r', (d) => slow.push(d));
      hub.add('fast', 'r', (d) => {
        fast.push(d);
        hub.ack('fast', d.data.length);
      });
      expect(slow[0]).toEqual({ data: 'SCREEN\n', replay: true });
      hub.push('r', Buffer.from('ab'));
      hub.push('r', Buffer.from('cd'));
      expect(slow).toHaveLength(1);
      vi.advanceTimersByTime(16);
      expect(slow[1]).toEqual({ data: 'abcd' });
      // 400 more characters: sent in batches of ≥100 until the window (300) is exceeded, then dropped.
      for (let i = 0; i < 8; i++) hub.push('r', Buffer.from('x'.repeat(50)));
      vi.advanceTimersByTime(16);
      const st = hub.stats('slow')!;
      expect(st.paused).toBe(true);
      const fastLive = fast.filter((e) => !e.replay).map((e) => e.data).join('');
      expect(fastLive).toBe('abcd' + 'x'.repeat(400));
      hub.push('r', Buffer.from('lost for slow'));
      expect(hub.stats('slow')!.dropped).toBeGreaterThan(0);
      screen = 'NEW SCREEN\n';
      hub.ack('slow', st.unacked);
      expect(slow.at(-1)).toEqual({ data: 'NEW SCREEN\n', replay: true });
      expect(hub.stats('slow')!.paused).toBe(false);
    } finally {
      vi.useRealTimers();
    }
  });

  it('keeps a UTF-8 character split across two reads intact', () => {
    vi.useFakeTimers();
    try {
      const hub = new TerminalHub(() => '');
      const got: string[] = [];
      hub.add('v', 'r', (d) => got.push(d.data));
      const bytes = Buffer.from('训练');
      hub.push('r', bytes.subarray(0, 2));
      hub.push('r', bytes.subarray(2));
      vi.advanceTimersByTime(20);
      expect(got.join('')).toBe('训练');
    } finally {
      vi.useRealTimers();
    }
  });
});
