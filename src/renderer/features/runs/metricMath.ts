/** Turns a run's metric points into chart series (any field on any x axis, EMA-smoothed) and merges live points into what the page holds. */
import type { CurveAxis } from '../../../shared/types/compare.js';
import type { MetricPoint } from '../../../shared/types/run.js';
import { axisXs } from '../../../shared/domain/runHistory.js';
import { emaSmooth } from '../../../shared/util/ema.js';
import type { XY } from '../../components/charts/shape.js';

/** A stored column, or a key of the point's `extra` map (grad_norm, accuracy, …). */
export type MetricField = 'loss' | 'evalLoss' | 'lr' | { extra: string };

const valueOf = (p: MetricPoint, field: MetricField): number | null | undefined =>
  typeof field === 'string' ? p[field] : p.extra?.[field.extra];

/**
 * One field of an effective history as {x, y} on `axis`, EMA-smoothed with `smoothing` (0 = raw; the same debiased EMA
 * as Compare and TensorBoard). Points without the field or without an x on that axis are skipped.
 */
export function fieldSeries(points: readonly MetricPoint[], field: MetricField, axis: CurveAxis = 'step', smoothing = 0): XY[] {
  const xs = axisXs(points, axis);
  const raw: { x: number; y: number }[] = [];
  points.forEach((p, i) => {
    const y = valueOf(p, field);
    const x = xs[i];
    if (y != null && Number.isFinite(y) && x != null) raw.push({ x, y });
  });
  const ys = emaSmooth(
    raw.map((r) => r.y),
    smoothing,
  );
  return raw.map((r, i) => ({ x: r.x, y: ys[i]! }));
}

/**
 * Identity of a point for de-duplication between the initial load and live events: eval rows, train rows and the
 * console-only rows (grad_norm beside a trainer_log run) of one step are distinct.
 */
export function pointKey(p: MetricPoint): string {
  const kind = p.evalLoss != null ? 'e' : p.loss != null || p.lr != null ? 't' : 'x';
  return `${p.segment}:${p.step}:${kind}`;
}

/** Appends live points to what we have, dropping the ones we already hold (a live batch can overlap the load). */
export function mergePoints(have: readonly MetricPoint[], incoming: readonly MetricPoint[]): MetricPoint[] {
  if (!incoming.length) return have as MetricPoint[];
  const seen = new Set(have.map(pointKey));
  const fresh = incoming.filter((p) => !seen.has(pointKey(p)));
  return fresh.length ? [...have, ...fresh] : (have as MetricPoint[]);
}
