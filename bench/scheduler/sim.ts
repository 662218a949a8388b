/** Discrete-event simulation of a multi-GPU box: job mixes, a GPU-sharing speed model from the H200 fixture, and three policies. */
import { planPlacements, type PlanItem, type PlanRunning } from '../../src/core/scheduler/placement.js';

export const CAP_MIB = 80 * 1024;
export const MARGIN_MIB = 2 * 1024;

export interface Job {
  id: string;
  kind: string;
  /** Minutes alone on its GPUs. */
  minutes: number;
  /** Peak MiB per GPU (the truth) and the estimate the planner sees. */
  memMiB: number;
  estimateMiB: number;
  gpus: number;
  /** Share of a GPU's compute it uses alone: small LoRA jobs leave most of an H200 idle. */
  util: number;
}

/** Small deterministic RNG (mulberry32) so every run prints the same table. */
export function rng(seed: number): () => number {
  let a = seed >>> 0;
  return () => {
    a = (a + 0x6d2b79f5) >>> 0;
    let t = a;
    t = Math.imul(t ^ (t >>> 15), t | 1);
    t ^= t + Math.imul(t ^ (t >>> 7), t | 61);
    return ((t ^ (t >>> 14)) >>> 0) / 4294967296;
  };
}

const KINDS = [
  // kind, weight, minutes [lo, hi], GiB [lo, hi], util, gpus
  { kind: 'small LoRA (0.5–3B)', w: 30, min: [10, 40], gib: [4, 10], util: 0.25, gpus: 1 },
  { kind: 'QLoRA 7–14B', w: 25, min: [40, 120], gib: [8, 14], util: 0.45, gpus: 1 },
  { kind: 'LoRA 7B bf16', w: 30, min: [30, 90], gib: [19, 26], util: 0.7, gpus: 1 },
  { kind: 'full 1.5B', w: 7, min: [40, 100], gib: [30, 40], util: 0.9, gpus: 1 },
  { kind: 'full 7B ZeRO-3', w: 8, min: [90, 180], gib: [50, 62], util: 0.95, gpus: 4 },
] as const;

export function makeJobs(n: number, gpus: number, seed: number): Job[] {
  const r = rng(seed);
  const total = KINDS.reduce((s, k) => s + k.w, 0);
  const jobs: Job[] = [];
  for (let i = 0; i < n; i++) {
    let x = r() * total;
    const k = KINDS.find((kk) => (x -= kk.w) < 0) ?? KINDS[0];
    const mem = (k.gib[0] + r() * (k.gib[1] - k.gib[0])) * 1024;
    jobs.push({
      id: `j${i}`,
      kind: k.kind,
      minutes: k.min[0] + r() * (k.min[1] - k.min[0]),
      memMiB: mem,
      // Estimates err high by 0–20% (the planner uses the top of the range).
      estimateMiB: mem * (1 + r() * 0.2),
      gpus: Math.min(k.gpus, gpus),
      util: k.util,
    });
  }
  return jobs;
}

/**
 * Speed of each job relative to running alone. On one GPU, demand D = Σ util; each job runs at min(1, 1/D), times a
 * 2.5% interference loss per extra neighbour. With util 0.23 this reproduces the H200 fixture (4 small jobs → 3.6×
 * aggregate, 8 → about 4×). A multi-GPU job runs at the pace of its slowest GPU.
 */
export function speeds(running: { job: Job; gpus: number[] }[]): Map<string, number> {
  const demand = new Map<number, { d: number; k: number }>();
  for (const r of running) for (const g of r.gpus) {
    const e = demand.get(g) ?? { d: 0, k: 0 };
    e.d += r.job.util;
    e.k += 1;
    demand.set(g, e);
  }
  const out = new Map<string, number>();
  for (const r of running) {
    out.set(r.job.id, Math.min(...r.gpus.map((g) => {
      const e = demand.get(g)!;
      return Math.min(1, 1 / e.d) * 0.975 ** (e.k - 1);
    })));
  }
  return out;
}

export type Policy = (jobs: Job[], queue: Job[], running: { job: Job; gpus: number[] }[], gpus: number) => { job: Job; gpus: number[] }[];

/** One job at a time on the machine (LlamaBoard, Unsloth Studio): the next starts when the last ends. */
export const sequential: Policy = (_all, queue, running) => (running.length === 0 && queue.length ? [{ job: queue[0]!, gpus: range(queue[0]!.gpus) }] : []);

/** FIFO with whole GPUs (task-spooler, H2O LLM Studio): the head starts when enough GPUs are idle; never two jobs on a GPU. */
export const fifoPerGpu: Policy = (_all, queue, running, gpus) => {
  const busy = new Set(running.flatMap((r) => r.gpus));
  const starts: { job: Job; gpus: number[] }[] = [];
  for (const job of queue) {
    const idle = range(gpus).filter((g) => !busy.has(g));
    if (idle.length < job.gpus) break;
    const take = idle.slice(0, job.gpus);
    take.forEach((g) => busy.add(g));
    starts.push({ job, gpus: take });
  }
  return starts;
};

/** Trainyard: every job in the auto lane, placed by planPlacements on estimates + margin (packing, best fit, reservations). */
export const trainyard: Policy = (_all, queue, running, gpus) => {
  const used = new Map<number, number>();
  for (const r of running) for (const g of r.gpus) used.set(g, (used.get(g) ?? 0) + r.job.estimateMiB);
  const planRunning: PlanRunning[] = running.map((r) => ({ id: r.job.id, gpuUuids: r.gpus.map((g) => `G${g}`), needMiB: r.job.estimateMiB, usedMiB: Object.fromEntries(r.gpus.map((g) => [`G${g}`, r.job.estimateMiB])) }));
  const items: PlanItem[] = queue.map((j, i) => ({ id: j.id, lane: 'auto', position: i, createdAt: i, gpuCount: j.gpus, gpuUuids: [], needMiB: Math.round(j.estimateMiB) }));
  const plan = planPlacements({
    gpus: range(gpus).map((g) => ({ uuid: `G${g}`, index: g, vendor: 'nvidia', totalMiB: CAP_MIB, freeMiB: CAP_MIB - (used.get(g) ?? 0) })),
    lanes: [{ id: 'auto', paused: false }],
    queued: items,
    running: planRunning,
    marginMiB: MARGIN_MIB,
  });
  const byId = new Map(queue.map((j) => [j.id, j]));
  return plan.start.map((d) => ({ job: byId.get(d.itemId)!, gpus: d.gpuUuids.map((u) => Number(u.slice(1))) }));
};

const range = (n: number) => Array.from({ length: n }, (_, i) => i);

/** Runs a policy to the end; returns the makespan in minutes. */
export function simulate(jobs: Job[], gpus: number, policy: Policy): number {
  let queue = [...jobs];
  const running: { job: Job; gpus: number[]; left: number }[] = [];
  let now = 0;
  for (let guard = 0; guard < 100_000; guard++) {
    for (const s of policy(jobs, queue, running, gpus)) {
      running.push({ ...s, left: s.job.minutes });
      queue = queue.filter((j) => j !== s.job);
    }
    if (running.length === 0) {
      if (queue.length) throw new Error(`policy stalled with ${queue.length} jobs queued`);
      return now;
    }
    const sp = speeds(running);
    const dt = Math.min(...running.map((r) => r.left / sp.get(r.job.id)!));
    now += dt;
    for (const r of running) r.left -= dt * sp.get(r.job.id)!;
    for (let i = running.length - 1; i >= 0; i--) if (running[i]!.left <= 1e-9) running.splice(i, 1);
  }
  throw new Error('simulation did not finish');
}

/** No schedule beats this: total GPU work at full speed spread over all GPUs, memory-time over all memory, or the longest job. */
export function lowerBound(jobs: Job[], gpus: number): number {
  const work = jobs.reduce((s, j) => s + j.minutes * j.util * j.gpus, 0) / gpus;
  const memTime = jobs.reduce((s, j) => s + j.minutes * j.memMiB * j.gpus, 0) / (gpus * CAP_MIB);
  return Math.max(work, memTime, ...jobs.map((j) => j.minutes));
}
