/** Formatting of run figures: durations, sizes, rates, losses, percentages. */
import { describe, expect, it } from 'vitest';
import {
  formatBytes,
  formatDuration,
  formatEpoch,
  formatGpus,
  formatLoss,
  formatLr,
  formatPercent,
  formatRate,
  runDurationSeconds,
} from '../../../src/renderer/features/runs/format.js';

describe('formatDuration', () => {
  it('uses M:SS under an hour and H:MM:SS above', () => {
    expect(formatDuration(0)).toBe('0:00');
    expect(formatDuration(65)).toBe('1:05');
    expect(formatDuration(3600)).toBe('1:00:00');
    expect(formatDuration(3600 * 27 + 61.4)).toBe('27:01:01');
  });
  it('shows a dash for unknown or nonsensical values', () => {
    expect(formatDuration(null)).toBe('—');
    expect(formatDuration(-1)).toBe('—');
    expect(formatDuration(Number.NaN)).toBe('—');
  });
});

describe('runDurationSeconds', () => {
  it('counts to now while live and to endedAt once ended', () => {
    expect(runDurationSeconds({ startedAt: 1000, endedAt: null }, 11_000)).toBe(10);
    expect(runDurationSeconds({ startedAt: 1000, endedAt: 4000 }, 99_000)).toBe(3);
    expect(runDurationSeconds({ startedAt: null, endedAt: null }, 99_000)).toBeNull();
  });
});

describe('numbers', () => {
  it('formats sizes in binary units', () => {
    expect(formatBytes(512)).toBe('512 B');
    expect(formatBytes(1536)).toBe('1.5 KiB');
    expect(formatBytes(300 * 1024 * 1024)).toBe('300 MiB');
    expect(formatBytes(null)).toBe('—');
  });
  it('formats throughput compactly', () => {
    expect(formatRate(5.25)).toBe('5.3');
    expect(formatRate(950)).toBe('950');
    expect(formatRate(1234)).toBe('1.2k');
    expect(formatRate(34_500)).toBe('35k');
    expect(formatRate(1_500_000)).toBe('1.5M');
    expect(formatRate(null)).toBe('—');
  });
  it('formats losses with 4 significant digits and learning rates in exponent form', () => {
    expect(formatLoss(2.345678)).toBe('2.346');
    expect(formatLoss(0.00001234)).toBe('1.23e-5');
    expect(formatLoss(Number.POSITIVE_INFINITY)).toBe('—');
    expect(formatLr(0.0002)).toBe('2.0e-4');
    expect(formatLr(0)).toBe('0');
  });
  it('clamps percentages and keeps a decimal for small ones', () => {
    expect(formatPercent(3.14)).toBe('3.1%');
    expect(formatPercent(42.6)).toBe('43%');
    expect(formatPercent(140)).toBe('100%');
    expect(formatPercent(null)).toBe('—');
  });
  it('formats epochs and GPU lists', () => {
    expect(formatEpoch(1.23456)).toBe('1.23');
    expect(formatGpus([0, 3])).toBe('0, 3');
    expect(formatGpus([])).toBeNull();
  });
});
