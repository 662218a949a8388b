/** Chart data shaping: resumed segments, de-duplication of live points, downsampling and merging of series. */
import { describe, expect, it } from 'vitest';
import type { MetricPoint } from '../../../src/shared/types/run.js';
import { canUseLogScale, mergeSeries } from '../../../src/renderer/components/charts/shape.js';
import { fieldSeries, mergePoints } from '../../../src/renderer/features/runs/metricMath.js';
import { effectiveHistory, segmentMarkers } from '../../../src/shared/domain/runHistory.js';

const p = (step: number, segment: number, loss: number | null, extra: Partial<MetricPoint> = {}): MetricPoint => ({
  step, segment, at: null, elapsedSeconds: null, loss, ...extra,
});

describe('resumed segments', () => {
  // Segment 0 ran to step 50, crashed; segment 1 resumed from checkpoint 40.
  const points = [p(10, 0, 3), p(20, 0, 2.5), p(40, 0, 2), p(50, 0, 1.9), p(40, 1, 2.05), p(60, 1, 1.7)];

  it('drops the superseded tail of the earlier segment', () => {
    expect(effectiveHistory(points).map((x) => `${x.segment}:${x.step}`)).toEqual(['0:10', '0:20', '1:40', '1:60']);
  });
  it('marks where each resumed segment starts', () => {
    expect(segmentMarkers(points)).toEqual([{ segment: 1, step: 40 }]);
    expect(segmentMarkers([p(1, 0, 1)])).toEqual([]);
  });
  it('extracts one field, skipping points without it', () => {
    const pts = [p(1, 0, 2), p(2, 0, null, { evalLoss: 2.2 }), p(3, 0, 1.8)];
    expect(fieldSeries(pts, 'loss')).toEqual([{ x: 1, y: 2 }, { x: 3, y: 1.8 }]);
    expect(fieldSeries(pts, 'evalLoss')).toEqual([{ x: 2, y: 2.2 }]);
  });
  it('reads extra fields, on another axis, smoothed like Compare', () => {
    const pts = [p(1, 0, 2, { extra: { grad_norm: 1 }, totalTokens: 100 }), p(2, 0, 1.8, { totalTokens: 200 }), p(3, 0, 1.6, { extra: { grad_norm: 3 }, totalTokens: 300 })];
    expect(fieldSeries(pts, { extra: 'grad_norm' }, 'tokens')).toEqual([{ x: 100, y: 1 }, { x: 300, y: 3 }]);
    const smoothed = fieldSeries(pts, 'loss', 'step', 0.9).map((q) => q.y);
    // The debiased EMA starts at the first value and lags behind the falling loss.
    expect(smoothed[0]).toBeCloseTo(2);
    expect(smoothed[2]).toBeGreaterThan(1.6);
    expect(smoothed[2]).toBeLessThan(2);
  });
});

describe('mergePoints', () => {
  it('appends only points it does not hold yet (eval and train rows of one step are distinct)', () => {
    const have = [p(1, 0, 2), p(2, 0, 1.9)];
    const merged = mergePoints(have, [p(2, 0, 1.9), p(2, 0, null, { evalLoss: 2 }), p(3, 0, 1.8)]);
    expect(merged.map((x) => `${x.step}${x.evalLoss != null ? 'e' : ''}`)).toEqual(['1', '2', '2e', '3']);
    expect(mergePoints(have, [p(1, 0, 2)])).toBe(have);
    // A console-only grad_norm row at a step the file already logged is a point of its own.
    expect(mergePoints(have, [p(2, 0, null, { extra: { grad_norm: 0.5 } })])).toHaveLength(3);
  });
});

describe('mergeSeries', () => {
  it('downsamples each series separately and merges rows by x', () => {
    const dense = Array.from({ length: 1000 }, (_, i) => ({ x: i, y: Math.sin(i / 50) }));
    const sparse = [{ x: 0, y: 5 }, { x: 500, y: 4 }, { x: 999, y: 3 }];
    const rows = mergeSeries([{ key: 'loss', points: dense }, { key: 'eval', points: sparse }], 100);
    expect(rows.filter((r) => 'loss' in r)).toHaveLength(100);
    // The sparse series keeps all its points even though the dense one was cut down.
    expect(rows.filter((r) => 'eval' in r).map((r) => r.x)).toEqual([0, 500, 999]);
    expect(rows.map((r) => r.x)).toEqual([...rows.map((r) => r.x)].sort((a, b) => a - b));
    // LTTB keeps the extremes of the sine wave.
    const ys = rows.filter((r) => 'loss' in r).map((r) => r.loss!);
    expect(Math.max(...ys)).toBeGreaterThan(0.99);
    expect(Math.min(...ys)).toBeLessThan(-0.99);
  });
  it('drops non-finite values', () => {
    expect(mergeSeries([{ key: 'a', points: [{ x: 1, y: Number.NaN }, { x: 2, y: 1 }] }], 10)).toEqual([{ x: 2, a: 1 }]);
  });
  it('allows a log scale only for positive values', () => {
    expect(canUseLogScale([{ key: 'a', points: [{ x: 1, y: 0.1 }] }])).toBe(true);
    expect(canUseLogScale([{ key: 'a', points: [{ x: 1, y: 0 }] }])).toBe(false);
    expect(canUseLogScale([])).toBe(false);
  });
});
