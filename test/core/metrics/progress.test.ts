/** The run's own progress figures: after a resume, tokens/s comes from the resumed part, not LLaMA-Factory's cumulative figure. */
import { describe, expect, it } from 'vitest';
import { ProgressTracker } from '../../../src/core/metrics/series.js';
import type { MetricPoint } from '../../../src/shared/types/run.js';

const pt = (step: number, segment: number, at: number, tokens: number, throughput: number): MetricPoint => ({ step, segment, at, elapsedSeconds: null, totalTokens: tokens, throughput });

describe('ProgressTracker', () => {
  it('measures tokens/s within the resumed segment (LLaMA-Factory divides all tokens by the time since the restart)', () => {
    const tr = new ProgressTracker();
    // Before the resume: 1000 tokens/s, and LF says so.
    for (let s = 1; s <= 5; s++) tr.point(pt(s, 0, s * 1000, s * 1000, 1000), 10);
    expect(tr.progress.tokensPerSec).toBe(1000);
    // Resumed from step 5 at t = 100 s: still 1000 tokens/s, but LF reports total tokens / new elapsed time (×6 too high).
    let last = tr.progress;
    for (let s = 6; s <= 8; s++) last = tr.point(pt(s, 1, 100_000 + (s - 5) * 1000, s * 1000, (s * 1000) / (s - 5)), 10);
    expect(last.tokensPerSec).toBeCloseTo(1000, 0);
  });

  it('catches up a backlog stamped at one instant (an engine reading a whole log after a restart) point by point in constant work', () => {
    // Every point has the same wall-clock time, so the 5-minute window never drops a sample: a per-point scan of the
    // window made this quadratic (a 1 M-line trainer_log.jsonl never finished). 200,000 points would take hours so.
    const tr = new ProgressTracker();
    const n = 200_000;
    for (let s = 1; s <= n; s++) tr.point(pt(s, 0, 5_000, s * 100, 2000), n);
    expect(tr.progress.step).toBe(n);
    // No time has passed between them: no measured rate, LLaMA-Factory's own figure stands.
    expect(tr.progress.tokensPerSec).toBe(2000);
  });

  it('gives the same progress as a tracker that keeps every sample, for bursts stamped at one instant with and without token counts', () => {
    let a = 7;
    const next = () => ((a = (a * 1103515245 + 12345) % 2147483648) / 2147483648);
    for (let round = 0; round < 40; round++) {
      const tr = new ProgressTracker(30);
      const ref = new EveryTracker(30);
      let t = 1000;
      let segment = 0;
      let step = 0;
      for (let i = 0; i < 400; i++) {
        // Bursts at one instant (a backlog), gaps past the window, resumes, and token counts that come and go.
        const r = next();
        if (r < 0.3) t += Math.floor(next() * 50);
        if (r > 0.98) segment++;
        step += next() < 0.05 ? 0 : 1 + Math.floor(next() * 3);
        const tokens = next() < 0.4 ? null : step * 100 + Math.floor(next() * 10);
        const p: MetricPoint = { step, segment, at: t * 1000, elapsedSeconds: null, ...(tokens !== null ? { totalTokens: tokens } : {}), throughput: 5 };
        expect(tr.point(p, 2000), `round ${round}, point ${i}`).toEqual(ref.point(p, 2000));
      }
    }
  });

  it('holds two samples, not one per point, for a backlog read at one instant', () => {
    const tr = new ProgressTracker();
    for (let s = 1; s <= 10_000; s++) tr.point(pt(s, 0, 5_000, s * 100, 2000), 10_000);
    expect(tr.sampleCount).toBe(2);
  });
});

/** The tracker as it was before it overwrote the middle of same-instant runs: every sample kept (the oracle). */
class EveryTracker {
  private samples: { step: number; t: number; tokens: number | null }[] = [];
  private segment = -1;
  progress = { step: 0, totalSteps: null as number | null, percent: null as number | null, epoch: null as number | null, elapsedSeconds: null as number | null, etaSeconds: null as number | null, tokensPerSec: null as number | null, lastLoss: null as number | null, lastEvalLoss: null as number | null };
  constructor(private windowSeconds: number) {}
  point(p: MetricPoint, totalSteps: number | null) {
    const t = p.at !== null ? p.at / 1000 : p.elapsedSeconds;
    if (p.segment !== this.segment) {
      this.samples = [];
      this.segment = p.segment;
    }
    if (t !== null && (this.samples.length === 0 || p.step > this.samples.at(-1)!.step)) {
      this.samples.push({ step: p.step, t, tokens: p.totalTokens ?? null });
      while (this.samples.length > 2 && t - this.samples[0]!.t > this.windowSeconds) this.samples.shift();
    }
    const g = this.progress;
    g.step = p.step;
    g.totalSteps = totalSteps;
    const withTokens = this.samples.filter((x) => x.tokens !== null);
    const first = withTokens[0];
    const last = withTokens.at(-1);
    if (first && last && last !== first && last.t - first.t >= 1 && last.tokens! > first.tokens!) g.tokensPerSec = Math.round(((last.tokens! - first.tokens!) / (last.t - first.t)) * 100) / 100;
    else if (p.throughput != null && p.segment === 0) g.tokensPerSec = p.throughput;
    g.percent = g.totalSteps ? Math.min(100, Math.round((g.step / g.totalSteps) * 10000) / 100) : null;
    const a = this.samples[0];
    const b = this.samples.at(-1);
    if (a && b && b.t > a.t && b.step > a.step && g.totalSteps) g.etaSeconds = Math.max(0, Math.round((g.totalSteps - g.step) / ((b.step - a.step) / (b.t - a.t))));
    else if (g.totalSteps && g.step >= g.totalSteps) g.etaSeconds = 0;
    return { ...g };
  }
}
