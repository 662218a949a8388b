/** Flow-control acks: batched per window, flushed at the size cap, and per subscription id across reconnects. */
import { afterEach, beforeEach, describe, expect, it, vi } from 'vitest';
import { createAckBatcher } from '../../../src/renderer/features/runs/ackBatcher.js';

beforeEach(() => vi.useFakeTimers());
afterEach(() => vi.useRealTimers());

describe('createAckBatcher', () => {
  it('sends one ack per window with the sum of rendered characters', () => {
    const sent: [number, number][] = [];
    const b = createAckBatcher((sub, n) => sent.push([sub, n]), 50, 1000);
    b.add(7, 100);
    b.add(7, 150);
    expect(sent).toEqual([]);
    vi.advanceTimersByTime(50);
    expect(sent).toEqual([[7, 250]]);
    vi.advanceTimersByTime(500);
    expect(sent).toEqual([[7, 250]]);
  });

  it('acks at once past the size cap', () => {
    const sent: [number, number][] = [];
    const b = createAckBatcher((sub, n) => sent.push([sub, n]), 50, 1000);
    b.add(1, 600);
    b.add(1, 600);
    expect(sent).toEqual([[1, 1200]]);
  });

  it('flushes the old subscription before counting a new one (reconnect)', () => {
    const sent: [number, number][] = [];
    const b = createAckBatcher((sub, n) => sent.push([sub, n]), 50, 1000);
    b.add(3, 10);
    b.add(9, 20);
    expect(sent).toEqual([[3, 10]]);
    b.dispose();
    expect(sent).toEqual([[3, 10], [9, 20]]);
    b.add(9, 5);
    vi.advanceTimersByTime(100);
    expect(sent).toHaveLength(2);
  });
});
