/** Turns a run's metric points into chart series: the effective history across resumed segments, and segment markers. */
import type { MetricPoint } from '../../../shared/types/run.js';
import type { XY } from '../../components/charts/shape.js';

export interface SegmentMarker {
  /** Step where the resumed segment starts (the checkpoint it resumed from). */
  step: number;
  segment: number;
}

/**
 * A resumed segment re-runs steps from its checkpoint onward, so the earlier segment's points at or after that step are
 * superseded: drop them, keeping one continuous curve (what the model actually went through), like a rewind.
 */
export function effectiveHistory(points: readonly MetricPoint[]): MetricPoint[] {
  const firstStep = new Map<number, number>();
  for (const p of points) {
    const cur = firstStep.get(p.segment);
    if (cur === undefined || p.step < cur) firstStep.set(p.segment, p.step);
  }
  const segments = [...firstStep.keys()].sort((a, b) => a - b);
  // For each segment, the lowest start step of any later segment: where its points stop counting.
  const cutoff = new Map<number, number>();
  let min = Infinity;
  for (let i = segments.length - 1; i >= 0; i--) {
    cutoff.set(segments[i]!, min);
    min = Math.min(min, firstStep.get(segments[i]!)!);
  }
  return points
    .filter((p) => p.step < (cutoff.get(p.segment) ?? Infinity))
    .sort((a, b) => a.step - b.step || a.segment - b.segment);
}

export function segmentMarkers(points: readonly MetricPoint[]): SegmentMarker[] {
  const first = new Map<number, number>();
  for (const p of points) {
    if (p.segment === 0) continue;
    const cur = first.get(p.segment);
    if (cur === undefined || p.step < cur) first.set(p.segment, p.step);
  }
  return [...first.entries()].map(([segment, step]) => ({ segment, step })).sort((a, b) => a.segment - b.segment);
}

type NumericField = 'loss' | 'evalLoss' | 'lr';

export function fieldSeries(points: readonly MetricPoint[], field: NumericField): XY[] {
  const out: XY[] = [];
  for (const p of points) {
    const y = p[field];
    if (y != null && Number.isFinite(y)) out.push({ x: p.step, y });
  }
  return out;
}

/** Identity of a point for de-duplication between the initial load and live events (eval and train rows share steps). */
export function pointKey(p: MetricPoint): string {
  return `${p.segment}:${p.step}:${p.evalLoss != null ? 'e' : 't'}`;
}

/** Appends live points to what we have, dropping the ones we already hold (a live batch can overlap the load). */
export function mergePoints(have: readonly MetricPoint[], incoming: readonly MetricPoint[]): MetricPoint[] {
  if (!incoming.length) return have as MetricPoint[];
  const seen = new Set(have.map(pointKey));
  const fresh = incoming.filter((p) => !seen.has(pointKey(p)));
  return fresh.length ? [...have, ...fresh] : (have as MetricPoint[]);
}
