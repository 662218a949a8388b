/** The rules for one run's metric history: resumed segments replace what they re-ran, the x of each chart axis, and the token rate between points. */
import type { CurveAxis } from '../types/compare.js';
import type { MetricPoint } from '../types/run.js';

export interface SegmentMarker {
  /** Step where the resumed segment starts (the checkpoint it resumed from). */
  step: number;
  segment: number;
}

/**
 * A resumed segment re-runs steps from its checkpoint onward, so the earlier segment's points at or after that step are
 * superseded: drop them, keeping one continuous curve (what the model actually went through), like a rewind.
 */
export function effectiveHistory<P extends Pick<MetricPoint, 'step' | 'segment'>>(points: readonly P[]): P[] {
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

export function segmentMarkers(points: readonly Pick<MetricPoint, 'step' | 'segment'>[]): SegmentMarker[] {
  const first = new Map<number, number>();
  for (const p of points) {
    if (p.segment === 0) continue;
    const cur = first.get(p.segment);
    if (cur === undefined || p.step < cur) first.set(p.segment, p.step);
  }
  return [...first.entries()].map(([segment, step]) => ({ segment, step })).sort((a, b) => a.segment - b.segment);
}

/**
 * Seconds since the run's first point: the trainer's own elapsed time when it logged one, else the engine's wall-clock
 * reads. `firstAt` is the earliest `at` of the run (ms).
 */
export function secondsSinceStart(p: Pick<MetricPoint, 'at' | 'elapsedSeconds'>, firstAt: number | null): number | null {
  if (p.elapsedSeconds != null) return p.elapsedSeconds;
  return p.at !== null && firstAt !== null ? (p.at - firstAt) / 1000 : null;
}

/** Earliest wall-clock read of a run's points (ms), the zero of its time axis when the trainer logs no elapsed time. */
export function firstReadAt(points: readonly Pick<MetricPoint, 'at'>[]): number | null {
  let first: number | null = null;
  for (const p of points) if (p.at !== null && (first === null || p.at < first)) first = p.at;
  return first;
}

/**
 * The x of each point on a chart axis (null where the run did not log what the axis needs: no tokens, no epochs). The
 * input is an effective history in step order. On the time axis a resumed segment starts where the previous one
 * stopped: the trainer's elapsed time restarts at zero on a resume, and the time between the two (waiting, a crash)
 * was no training.
 */
export function axisXs(points: readonly MetricPoint[], axis: CurveAxis): (number | null)[] {
  if (axis === 'step') return points.map((p) => p.step);
  if (axis === 'epoch') return points.map((p) => p.epoch ?? null);
  if (axis === 'tokens') return points.map((p) => p.totalTokens ?? null);
  const firstAt = firstReadAt(points);
  let segment: number | null = null;
  let offset = 0;
  let last = 0;
  let segmentStart = 0;
  return points.map((p) => {
    const t = secondsSinceStart(p, firstAt);
    if (t === null) return null;
    if (segment !== null && p.segment !== segment) {
      offset = last;
      segmentStart = t;
    } else if (segment === null) segmentStart = 0;
    segment = p.segment;
    last = offset + Math.max(0, t - segmentStart);
    return last;
  });
}

/**
 * Seconds into the point's segment, as precisely as the trainer tells: LLaMA-Factory's `throughput` is tokens seen over
 * float seconds since the process started (callbacks.py:291-293 at ff6d4d1), so tokens / throughput gives that time
 * exactly, where its elapsed_time is whole seconds.
 */
function segmentSeconds(p: MetricPoint, firstAt: number | null): number | null {
  if (p.throughput != null && p.throughput > 0 && p.totalTokens != null) return p.totalTokens / p.throughput;
  return secondsSinceStart(p, firstAt);
}

/**
 * Tokens per second between consecutive points that carry a token count, within one segment. LLaMA-Factory's own
 * `throughput` is an average since the process started over every token seen, a resumed checkpoint's included, so
 * after a resume it is wrong; differences are right in every segment. Each rate is placed at the later point. The
 * input is in step order (an effective history).
 */
export function tokenRates(points: readonly MetricPoint[]): { point: MetricPoint; rate: number }[] {
  const firstAt = firstReadAt(points);
  const out: { point: MetricPoint; rate: number }[] = [];
  let prev: { segment: number; tokens: number; t: number } | null = null;
  for (const p of points) {
    const tokens = p.totalTokens;
    const t = segmentSeconds(p, firstAt);
    if (tokens == null || t === null) continue;
    if (prev && prev.segment === p.segment) {
      // Points read in one batch share a time: wait for one that is later, so the span is real.
      if (!(t > prev.t) || tokens < prev.tokens) continue;
      out.push({ point: p, rate: (tokens - prev.tokens) / (t - prev.t) });
    }
    prev = { segment: p.segment, tokens, t };
  }
  return out;
}
