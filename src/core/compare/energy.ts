/** Energy of a run: GPU power integrated over the run's time window from the GPU history (gpu_samples). */
import type { CompareRepo } from '../store/compareRepo.js';

export interface PowerSample {
  at: number;
  /** 0 = a raw sample; otherwise the bucket length in ms (the bucket's mean power over [at, at+resolution)). */
  resolution: number;
  w: number;
}

/** Longest gap (ms) bridged between two samples; beyond it the monitor was off and we do not invent energy. */
const MAX_GAP_MS = 5 * 60_000;

/**
 * Watt-hours in [from, to]. Raw samples are integrated with the trapezoid rule; buckets (compacted history) are
 * mean power × the part of the bucket inside the window. Where raw samples exist, buckets covering the same time
 * are skipped so nothing counts twice.
 */
export function integrateEnergyWh(samples: readonly PowerSample[], from: number, to: number): number | null {
  if (to <= from) return null;
  const raw = samples.filter((s) => s.resolution === 0 && s.at >= from && s.at <= to).sort((a, b) => a.at - b.at);
  const buckets = samples.filter((s) => s.resolution > 0);
  let joules = 0;
  let any = false;
  for (let i = 1; i < raw.length; i++) {
    const a = raw[i - 1]!;
    const b = raw[i]!;
    const dt = b.at - a.at;
    if (dt <= 0 || dt > MAX_GAP_MS) continue;
    joules += ((a.w + b.w) / 2) * (dt / 1000);
    any = true;
  }
  const rawFrom = raw[0]?.at ?? Infinity;
  const rawTo = raw.at(-1)?.at ?? -Infinity;
  for (const b of buckets) {
    const start = Math.max(b.at, from);
    const end = Math.min(b.at + b.resolution, to);
    if (end <= start) continue;
    // Only the part of the bucket the raw samples do not already cover.
    const overlap = Math.max(0, Math.min(end, rawTo) - Math.max(start, rawFrom));
    const covered = end - start - overlap;
    if (covered <= 0) continue;
    joules += b.w * (covered / 1000);
    any = true;
  }
  return any ? joules / 3600 : null;
}

/** Sum over the run's GPUs (a GPU shared with other runs counts whole: power is not attributable per process). */
export function runEnergyWh(repo: CompareRepo, uuids: readonly string[], from: number | null, to: number | null): number | null {
  if (from === null || !uuids.length) return null;
  const cols = repo.gpuSampleColumns();
  if (!cols.has('uuid') || !cols.has('at') || !cols.has('power_draw_w')) return null;
  const end = to ?? Date.now();
  let total: number | null = null;
  for (const uuid of uuids) {
    // Buckets that start before the run can still overlap it: widen the read by the largest bucket length we know.
    const wh = integrateEnergyWh(repo.powerSamples(uuid, from - 3_600_000, end, cols.has('resolution')), from, end);
    if (wh !== null) total = (total ?? 0) + wh;
  }
  return total;
}
