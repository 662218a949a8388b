/** Turns parsed records into stored metric points: numbering, resume segments, post-training evals, and run progress with our own ETA. */
import type { MetricPoint, RunProgress } from '../../shared/types/run.js';
import type { MetricRecord } from './record.js';

/** What must survive an engine restart to continue a series exactly (kept in metric_cursors). */
export interface SeriesState {
  seq: number;
  segment: number;
  lastStep: number;
  totalSteps: number | null;
  /** Train-record count, for sources without step numbers. */
  trainRecords: number;
}

export const initialSeriesState = (): SeriesState => ({ seq: 0, segment: 0, lastStep: -1, totalSteps: null, trainRecords: 0 });

export interface NumberedPoint extends MetricPoint {
  seq: number;
}

export class MetricSeries {
  readonly warnings: string[] = [];
  nanLoss = false;
  constructor(public state: SeriesState = initialSeriesState()) {}

  /** Returns the point for this record, or null when the record cannot be placed on a step axis. */
  push(rec: MetricRecord, at: number | null): NumberedPoint | null {
    const s = this.state;
    if (rec.nonFinite.includes('loss') || rec.nonFinite.includes('eval_loss')) this.nanLoss = true;
    let step = rec.step;
    // The record is ours (parsed for this push): its extra map can become the point's without a copy.
    const extra = rec.extra;
    if (step === null) {
      if (rec.kind === 'train') step = ++s.trainRecords;
      else step = Math.max(s.lastStep, 0);
    } else if (
      step < s.lastStep &&
      rec.loss === null &&
      rec.totalSteps !== null &&
      s.totalSteps !== null &&
      rec.totalSteps !== s.totalSteps
    ) {
      // A post-training evaluation counts eval batches with its own total (heymimihere's 300/300 after 1011/1011):
      // not a resume. Keep it at the last training step so the step axis stays monotonic.
      extra.eval_step = step;
      extra.eval_total_steps = rec.totalSteps;
      step = s.lastStep;
    } else if (step < s.lastStep) {
      // Steps went back: the run resumed from a checkpoint (or output_dir was reused). A new segment, not a merge.
      s.segment++;
    }
    if (rec.totalSteps !== null && extra.eval_total_steps === undefined) s.totalSteps = rec.totalSteps;
    s.lastStep = step;
    // Percentage follows from step / total steps and LLaMA-Factory's remaining time is replaced by our own ETA: neither
    // is stored (they were two thirds of every point's JSON).
    const point: NumberedPoint = { seq: ++s.seq, step, segment: s.segment, at, elapsedSeconds: rec.elapsedSeconds };
    if (rec.loss !== null) point.loss = rec.loss;
    if (rec.evalLoss !== null) point.evalLoss = rec.evalLoss;
    if (rec.lr !== null) point.lr = rec.lr;
    if (rec.epoch !== null) point.epoch = rec.epoch;
    if (rec.totalTokens !== null) point.totalTokens = rec.totalTokens;
    if (rec.throughput !== null) point.throughput = rec.throughput;
    for (const _ in extra) {
      point.extra = extra;
      break;
    }
    return point;
  }
}

/** Step rate over the recent window of one segment: the ETA LLaMA-Factory prints is wrong after a resume. */
export class ProgressTracker {
  private samples: { step: number; t: number; tokens: number | null }[] = [];
  private segment = -1;
  progress: RunProgress = {
    step: 0,
    totalSteps: null,
    percent: null,
    epoch: null,
    elapsedSeconds: null,
    etaSeconds: null,
    tokensPerSec: null,
    lastLoss: null,
    lastEvalLoss: null,
  };

  constructor(private windowSeconds = 300) {}

  /** Samples held in the rate window (for tests: a backlog must not keep one per point). */
  get sampleCount(): number {
    return this.samples.length;
  }

  /** `t` in seconds: wall clock for live runs, elapsed time for imported logs. */
  observe(step: number, segment: number, t: number | null, tokens: number | null = null): void {
    if (segment !== this.segment) {
      this.samples = [];
      this.segment = segment;
    }
    const n = this.samples.length;
    if (t !== null && (n === 0 || step > this.samples[n - 1]!.step)) {
      const last = this.samples[n - 1];
      const prev = this.samples[n - 2];
      // A backlog read at one instant stamps every point with the same t: the middle of such a run is never anyone's
      // first or last sample, and the token scans below skip it (it has no count, or counted neighbours on both sides
      // stop them first), so it is overwritten instead of kept — a 1 M-line catch-up holds 2 samples, not 1 M.
      if (last && prev && last.t === t && prev.t === t && (last.tokens === null || (prev.tokens !== null && tokens !== null))) {
        last.step = step;
        last.tokens = tokens;
      } else this.samples.push({ step, t, tokens });
      while (this.samples.length > 2 && t - this.samples[0]!.t > this.windowSeconds) this.samples.shift();
    }
    this.progress.step = step;
  }

  /**
   * Tokens per second over the recent window of this segment, or null without two timed samples with token counts.
   * Preferred over LLaMA-Factory's own figure: after a resume it divides every token seen (the checkpoint's included)
   * by the time since the restart.
   */
  private measuredTokensPerSec(): number | null {
    // From each end to the nearest sample with a token count (usually the end itself), not a scan of the window: a
    // backlog read at one instant keeps every point in the window, and a per-point scan made ingest quadratic.
    let i = 0;
    while (i < this.samples.length && this.samples[i]!.tokens === null) i++;
    let j = this.samples.length - 1;
    while (j > i && this.samples[j]!.tokens === null) j--;
    const first = this.samples[i];
    const last = this.samples[j];
    if (!first || !last || last.t - first.t < 1 || last.tokens! <= first.tokens!) return null;
    return (last.tokens! - first.tokens!) / (last.t - first.t);
  }

  point(p: MetricPoint, totalSteps: number | null): RunProgress {
    this.observe(p.step, p.segment, p.at !== null ? p.at / 1000 : p.elapsedSeconds, p.totalTokens ?? null);
    const g = this.progress;
    g.totalSteps = totalSteps;
    if (p.loss != null) g.lastLoss = p.loss;
    if (p.evalLoss != null) g.lastEvalLoss = p.evalLoss;
    if (p.epoch != null) g.epoch = p.epoch;
    if (p.elapsedSeconds != null) g.elapsedSeconds = p.elapsedSeconds;
    const measured = this.measuredTokensPerSec();
    if (measured !== null) g.tokensPerSec = Math.round(measured * 100) / 100;
    else if (p.throughput != null && p.segment === 0) g.tokensPerSec = p.throughput;
    this.finish();
    return g;
  }

  /** Progress from a console progress bar (no point stored). */
  bar(step: number, total: number | null, elapsedSeconds: number | null, at: number): RunProgress {
    this.observe(step, this.segment < 0 ? 0 : this.segment, at / 1000);
    if (total !== null) this.progress.totalSteps = total;
    if (elapsedSeconds !== null) this.progress.elapsedSeconds = elapsedSeconds;
    this.finish();
    return this.progress;
  }

  private finish(): void {
    const g = this.progress;
    g.percent = g.totalSteps ? Math.min(100, Math.round((g.step / g.totalSteps) * 10000) / 100) : null;
    const first = this.samples[0];
    const last = this.samples.at(-1);
    if (first && last && last.t > first.t && last.step > first.step && g.totalSteps) {
      const rate = (last.step - first.step) / (last.t - first.t);
      g.etaSeconds = Math.max(0, Math.round((g.totalSteps - g.step) / rate));
    } else if (g.totalSteps && g.step >= g.totalSteps) g.etaSeconds = 0;
  }
}
