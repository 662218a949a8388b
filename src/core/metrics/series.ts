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
    const extra: Record<string, number> = { ...rec.extra };
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
    if (rec.totalSteps !== null && !('eval_total_steps' in extra)) s.totalSteps = rec.totalSteps;
    s.lastStep = step;
    if (rec.throughput !== null) extra.throughput = rec.throughput;
    if (rec.percentage !== null) extra.percentage = rec.percentage;
    if (rec.remainingSeconds !== null) extra.remaining_s = rec.remainingSeconds;
    const point: NumberedPoint = {
      seq: ++s.seq,
      step,
      segment: s.segment,
      at,
      elapsedSeconds: rec.elapsedSeconds,
      ...(rec.loss !== null ? { loss: rec.loss } : {}),
      ...(rec.evalLoss !== null ? { evalLoss: rec.evalLoss } : {}),
      ...(rec.lr !== null ? { lr: rec.lr } : {}),
      ...(rec.epoch !== null ? { epoch: rec.epoch } : {}),
      ...(rec.totalTokens !== null ? { totalTokens: rec.totalTokens } : {}),
      ...(Object.keys(extra).length ? { extra } : {}),
    };
    return point;
  }
}

/** Step rate over the recent window of one segment: the ETA LLaMA-Factory prints is wrong after a resume. */
export class ProgressTracker {
  private samples: { step: number; t: number }[] = [];
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

  /** `t` in seconds: wall clock for live runs, elapsed time for imported logs. */
  observe(step: number, segment: number, t: number | null): void {
    if (segment !== this.segment) {
      this.samples = [];
      this.segment = segment;
    }
    if (t !== null && (this.samples.length === 0 || step > this.samples.at(-1)!.step)) {
      this.samples.push({ step, t });
      while (this.samples.length > 2 && t - this.samples[0]!.t > this.windowSeconds) this.samples.shift();
    }
    this.progress.step = step;
  }

  point(p: MetricPoint, totalSteps: number | null): RunProgress {
    this.observe(p.step, p.segment, p.at !== null ? p.at / 1000 : p.elapsedSeconds);
    const g = this.progress;
    g.totalSteps = totalSteps;
    if (p.loss != null) g.lastLoss = p.loss;
    if (p.evalLoss != null) g.lastEvalLoss = p.evalLoss;
    if (p.epoch != null) g.epoch = p.epoch;
    if (p.elapsedSeconds != null) g.elapsedSeconds = p.elapsedSeconds;
    if (p.extra?.throughput != null) g.tokensPerSec = p.extra.throughput;
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
