/** Curves of several runs for one metric, with every x-axis (step, epoch, tokens, time) and LTTB downsampling. */
import type { CurveMetric, CurvePoint, CurveSeries } from '../../shared/types/compare.js';
import type { Run } from '../../shared/types/run.js';
import { effectiveHistory } from '../../shared/domain/runHistory.js';
import { lttb } from '../../shared/util/lttb.js';
import type { CompareRepo } from '../store/compareRepo.js';
import { readTrainerState } from './results.js';

/** trainer_state.json spells the metrics HF's way. */
const STATE_KEY: Record<CurveMetric, string> = { loss: 'loss', eval_loss: 'eval_loss', lr: 'learning_rate' };

export function curveFromStore(repo: CompareRepo, runId: string, metric: CurveMetric): CurvePoint[] {
  // A resumed part replaces the steps it re-ran: one series per run, the same rule as the run page.
  const rows = effectiveHistory(repo.curve(runId, metric));
  // Time is measured from the run's first point: the elapsed time the trainer logged, else wall-clock reads.
  const firstAt = rows.find((r) => r.at !== null)?.at ?? null;
  return rows.map((r) => ({
    step: r.step,
    epoch: r.epoch,
    tokens: r.totalTokens,
    time: r.elapsedS ?? (r.at !== null && firstAt !== null ? (r.at - firstAt) / 1000 : null),
    value: r.value,
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

/**
 * Downsampled curves keyed by run, metric and size, valid while the run's newest point is unchanged: a finished
 * run's curve is read once, and ticking one more run does not re-read the 20 already shown.
 */
const cache = new Map<string, { maxSeq: number | null; series: CurveSeries }>();
const CACHE_MAX = 400;

export function runCurve(repo: CompareRepo, run: Run, metric: CurveMetric, maxPoints: number): CurveSeries {
  const key = `${run.id}\u0000${metric}\u0000${maxPoints}`;
  const maxSeq = repo.maxSeq(run.id);
  const hit = cache.get(key);
  // Without points the curve comes from trainer_state.json, whose own reader caches by mtime: no need to keep it here.
  if (hit && maxSeq !== null && hit.maxSeq === maxSeq) return { ...hit.series, name: run.name };
  const series = computeCurve(repo, run, metric, maxPoints);
  if (maxSeq !== null) {
    if (cache.size >= CACHE_MAX) cache.delete(cache.keys().next().value!);
    cache.set(key, { maxSeq, series });
  }
  return series;
}

/** The metrics tailer replaced a run's points: its cached curves may match the new newest seq by chance. */
export function dropCurves(runId: string): void {
  for (const k of cache.keys()) if (k.startsWith(`${runId}\u0000`)) cache.delete(k);
}

function computeCurve(repo: CompareRepo, run: Run, metric: CurveMetric, maxPoints: number): CurveSeries {
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
