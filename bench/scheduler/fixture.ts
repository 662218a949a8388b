/** The H200 concurrency measurement (test/fixtures/recorded/h200-concurrency) read and fitted: the bench's ground truth for sharing one GPU. */
import { readFileSync } from 'node:fs';
import { fixture } from '../../test/helpers/fixtures.js';

export interface Measurement {
  k: number;
  /** Aggregate samples/s of the K jobs ÷ one job alone. */
  speedup: number;
  /** Seconds from process start to the end of training minus the trainer's own training time: start-up (imports, model load). */
  startupS: number;
}

/** `K=… wall_ms=…` followed by each job's `{"wall_s", "samples_per_s"}`. */
export function readH200(): Measurement[] {
  const text = readFileSync(fixture('h200-concurrency', 'concurrency.txt'), 'utf8');
  const rows: { k: number; wallMs: number; jobs: { wall_s: number; samples_per_s: number }[] }[] = [];
  for (const line of text.split('\n')) {
    const m = /^K=(\d+) wall_ms=(\d+) (.*)$/.exec(line.trim());
    if (!m) continue;
    const jobs = [...m[3]!.matchAll(/\{[^}]*\}/g)].map((j) => JSON.parse(j[0]) as { wall_s: number; samples_per_s: number });
    rows.push({ k: Number(m[1]), wallMs: Number(m[2]), jobs });
  }
  const solo = rows.find((r) => r.k === 1)!.jobs[0]!.samples_per_s;
  return rows.map((r) => ({
    k: r.k,
    speedup: r.jobs.reduce((s, j) => s + j.samples_per_s, 0) / solo,
    startupS: r.wallMs / 1000 - Math.max(...r.jobs.map((j) => j.wall_s)),
  }));
}

/** Aggregate speed-up of K identical jobs under the sharing model: each at min(1, 1/(K·util)) × interference^(K−1). */
export const modelSpeedup = (k: number, util: number, interference: number) => k * Math.min(1, 1 / (k * util)) * interference ** (k - 1);

/** Least squares (relative error) over K > 1 by grid search: the small job's compute share and the per-neighbour loss. */
export function fitSharing(ms: Measurement[]): { util: number; interference: number; rmsErrorPct: number } {
  const pts = ms.filter((m) => m.k > 1);
  let best = { util: 1, interference: 1, err: Infinity };
  for (let u = 0.05; u <= 1.0001; u += 0.0025) {
    for (let i = 0.9; i <= 1.0001; i += 0.0005) {
      const err = pts.reduce((s, m) => s + ((modelSpeedup(m.k, u, i) - m.speedup) / m.speedup) ** 2, 0);
      if (err < best.err) best = { util: u, interference: i, err };
    }
  }
  return { util: best.util, interference: best.interference, rmsErrorPct: Math.sqrt(best.err / pts.length) * 100 };
}
