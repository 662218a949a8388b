/** Pure chart data shaping: downsampling series with LTTB and merging them into the row form recharts draws. */
import { lttb } from '../../../shared/util/lttb.js';

export interface XY {
  x: number;
  y: number;
}

export interface SeriesInput {
  key: string;
  points: readonly XY[];
}

/** One row per distinct x; a series without a value at that x is simply absent from the row. */
export type ChartRow = { x: number } & Record<string, number>;

/** Keeps the curve's shape with at most `max` points (first and last always kept). */
export function downsample(points: readonly XY[], max: number): XY[] {
  if (points.length <= max) return [...points];
  return lttb(points, max, (p) => p.x, (p) => p.y);
}

/**
 * Downsamples each series on its own (a sparse eval curve must not lose points to a dense train curve), then merges
 * them by x. Rows are sorted by x so recharts draws left to right.
 */
export function mergeSeries(series: readonly SeriesInput[], maxPointsPerSeries: number): ChartRow[] {
  const rows = new Map<number, ChartRow>();
  for (const s of series) {
    for (const p of downsample(s.points.filter((p) => Number.isFinite(p.x) && Number.isFinite(p.y)), maxPointsPerSeries)) {
      let row = rows.get(p.x);
      if (!row) rows.set(p.x, (row = { x: p.x } as ChartRow));
      row[s.key] = p.y;
    }
  }
  return [...rows.values()].sort((a, b) => a.x - b.x);
}

/** A log axis cannot show zero or negative values: only allow it when every value is positive. */
export function canUseLogScale(series: readonly SeriesInput[]): boolean {
  let any = false;
  for (const s of series)
    for (const p of s.points) {
      if (!(p.y > 0)) return false;
      any = true;
    }
  return any;
}
