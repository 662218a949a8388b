/** Curves of several runs for one metric, with every x-axis (step, epoch, tokens, time) and LTTB downsampling. */
import type { CurveMetric, CurvePoint, CurveSeries } from '../../shared/types/compare.js';
import type { Run } from '../../shared/types/run.js';
import { lttb } from '../../shared/util/lttb.js';
import type { CompareRepo } from '../store/compareRepo.js';
import { readTrainerState } from './results.js';

/** trainer_state.json spells the metrics HF's way. */
const STATE_KEY: Record<CurveMetric, string> = { loss: 'loss', eval_loss: 'eval_loss', lr: 'learning_rate' };

export function curveFromStore(repo: CompareRepo, runId: string, metric: CurveMetric): CurvePoint[] {
  const rows = repo.curve(runId, metric);
  // Time is measured from the run's first point: elapsed_s when the trainer logged it, else wall-clock reads.
  const firstAt = rows.find((r) => r.at !== null)?.at ?? null;
  return rows.map((r) => ({
    step: r.step,
    epoch: r.epoch,
    tokens: r.total_tokens,
    time: r.elapsed_s ?? (r.at !== null && firstAt !== null ? (r.at - firstAt) / 1000 : null),
    value: r.v,
  }));
}

export function curveFromTrainerState(outputDir: string, metric: CurveMetric): CurvePoint[] {
  const st = readTrainerState(outputDir);
  if (!st) return [];
  const key = STATE_KEY[metric];
  const out: CurvePoint[] = [];
  for (const e of st.log) {
    const v = e.values[key];
    if (v === undefined) continue;
    out.push({ step: e.step, epoch: e.epoch, tokens: e.tokens || null, time: null, value: v });
  }
  return out;
}

export function runCurve(repo: CompareRepo, run: Run, metric: CurveMetric, maxPoints: number): CurveSeries {
  let points = curveFromStore(repo, run.id, metric);
  let source: CurveSeries['source'] = 'store';
  if (!points.length) {
    points = curveFromTrainerState(run.outputDir, metric);
    source = points.length ? 'trainer_state' : 'none';
  }
  const total = points.length;
  // Downsampled on the step axis: every other axis is monotonic in step within a segment, so the shape holds.
  const sampled = lttb(points, maxPoints, (p) => p.step, (p) => p.value);
  return { runId: run.id, name: run.name, metric, total, points: sampled, source };
}
