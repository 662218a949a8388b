/** One run's history: resumed segments replace what they re-ran, the time axis continues across a resume, and tokens/s comes from differences. */
import { describe, expect, it } from 'vitest';
import { axisXs, effectiveHistory, tokenRates } from '../../../src/shared/domain/runHistory.js';
import type { MetricPoint } from '../../../src/shared/types/run.js';

const p = (step: number, segment: number, elapsedSeconds: number, totalTokens: number, throughput?: number): MetricPoint => ({
  step, segment, at: null, elapsedSeconds, loss: 1, totalTokens, ...(throughput !== undefined ? { throughput } : {}),
});

// Segment 0: steps 10..40 at 100 tokens/s; crashed after 40; resumed from checkpoint-30 as segment 1 (its elapsed time
// restarts at zero, its token count continues from the checkpoint's), 50 tokens/s after the resume.
const run = [
  p(10, 0, 10, 1000), p(20, 0, 20, 2000), p(30, 0, 30, 3000), p(40, 0, 40, 4000),
  // LLaMA-Factory's own throughput after the resume: every token seen over the time since restart (3500 / 10 s).
  p(30, 1, 0, 3000), p(35, 1, 10, 3500, 350), p(40, 1, 20, 4000, 200),
];

describe('run history', () => {
  it('keeps the resumed part and drops the overlapped steps', () => {
    expect(effectiveHistory(run).map((x) => `${x.segment}:${x.step}`)).toEqual(['0:10', '0:20', '1:30', '1:35', '1:40']);
  });
  it('continues the time axis across a resume instead of going back to zero', () => {
    const h = effectiveHistory(run);
    expect(axisXs(h, 'time')).toEqual([10, 20, 20, 30, 40]);
    expect(axisXs(h, 'tokens')).toEqual([1000, 2000, 3000, 3500, 4000]);
    expect(axisXs(h, 'step')).toEqual([10, 20, 30, 35, 40]);
  });
  it('measures tokens/s between points of one segment, right after a resume too', () => {
    const rates = tokenRates(effectiveHistory(run)).map((r) => [r.point.step, r.rate]);
    expect(rates).toEqual([
      [20, 100],
      [35, 50],
      [40, 50],
    ]);
  });
  it("times points by LLaMA-Factory's float throughput where its elapsed_time is whole seconds", () => {
    // Both logged within the same second: elapsed_time says 1 s for each; tokens / throughput says 0.5 s and 1.0 s.
    const pts = [p(2, 0, 1, 200, 400), p(4, 0, 1, 400, 400)];
    expect(tokenRates(pts).map((r) => r.rate)).toEqual([400]);
  });
});
