/**
 * Discrete-event simulation of a GPU box for the scheduler bench: job mixes with start-up, the sharing model fitted to
 * the H200 fixture as ground truth, planner estimates that err, a lower bound, and the policies compared.
 */
import { planPlacements, type PlanItem, type PlanRunning, type PlanState } from '../../src/core/scheduler/placement.js';
import { STARTUP_UTIL } from '../../src/core/scheduler/sharing.js';
import { planBestFit } from './bestFitBaseline.js';
import { fitSharing, readH200 } from './fixture.js';

export const MARGIN_MIB = 2 * 1024;
const MIN = 60;
/** Minutes of training after which a running job's remaining time comes from its own step rate. */
const LIVE_AFTER_MIN = 3;

/** Ground truth for sharing a card, fitted to the H200 measurement (not the planner's own constants). */
export const TRUTH = fitSharing(readH200());

export interface CardType {
  label: string;
  capMiB: number;
  /** A job's compute share on this card relative to an 80 GB A100/H100 (a faster card leaves more idle). */
  utilScale: number;
}

export const CARD_80: CardType = { label: '80 GB', capMiB: 81_559, utilScale: 1 };
/** H200 as nvidia-smi reports it (test/fixtures/recorded/nvidia-smi/h200-1gpu): the small job's share is the fitted one. */
export const CARD_141: CardType = { label: '141 GB', capMiB: 143_771, utilScale: TRUTH.util / 0.25 };

export interface Job {
  id: string;
  kind: string;
  /** Minutes of training alone on its GPUs (80 GB card) and minutes of start-up (model load) before it. */
  minutes: number;
  startupMin: number;
  /** Peak MiB per GPU (the truth) and the estimate the planner sees. */
  memMiB: number;
  estimateMiB: number;
  gpus: number;
  /** Share of an 80 GB card's compute it uses alone. */
  util: number;
  /** What the planner was told from past runs (errs); undefined/null when the job has no history. */
  est: { util?: number; workS: number | null; startupS?: number };
  /** Error of the remaining time the engine reads from a running job's own progress (steps left ÷ recent step rate). */
  liveErr: number;
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

/** A log-normal error factor: estimates from past runs are off by about ±σ (multiplicative). */
const err = (r: () => number, sigma: number) => Math.exp(sigma * Math.sqrt(-2 * Math.log(r() || 1e-9)) * Math.cos(2 * Math.PI * r()));

export interface Kind {
  kind: string;
  w: number;
  min: [number, number];
  gib: [number, number];
  util: number;
  gpus: number;
  startup: [number, number];
}

export const MIX: Kind[] = [
  // weight, training minutes, GiB per GPU, compute share on an 80 GB card, GPUs, start-up minutes
  { kind: 'small LoRA (0.5–3B)', w: 30, min: [10, 40], gib: [4, 10], util: 0.25, gpus: 1, startup: [1, 2] },
  { kind: 'QLoRA 7–14B', w: 25, min: [40, 120], gib: [8, 14], util: 0.45, gpus: 1, startup: [2, 4] },
  { kind: 'LoRA 7B bf16', w: 30, min: [30, 90], gib: [19, 26], util: 0.7, gpus: 1, startup: [1.5, 3] },
  { kind: 'full 1.5B', w: 7, min: [40, 100], gib: [30, 40], util: 0.9, gpus: 1, startup: [1, 2] },
  { kind: 'full 7B ZeRO-3', w: 8, min: [90, 180], gib: [50, 62], util: 0.95, gpus: 4, startup: [3, 5] },
];

/** Many small LoRA jobs (a sweep over a 0.5–3B model), the kind the H200 fixture measured. */
export const SMALL_ONLY: Kind[] = [MIX[0]!];

export interface JobOptions {
  /** Share of jobs with past runs to learn from (the rest get the planner's conservative defaults). */
  history?: number;
  /** Spread of the estimates' errors (log-normal σ for length and start-up; util gets 0.8 of it). */
  sigma?: number;
}

export function makeJobs(n: number, gpus: number, seed: number, kinds: Kind[] = MIX, opts: JobOptions = {}): Job[] {
  const r = rng(seed);
  const total = kinds.reduce((s, k) => s + k.w, 0);
  const jobs: Job[] = [];
  for (let i = 0; i < n; i++) {
    let x = r() * total;
    const k = kinds.find((kk) => (x -= kk.w) < 0) ?? kinds[0]!;
    const span = (a: [number, number]) => a[0] + r() * (a[1] - a[0]);
    const mem = span(k.gib) * 1024;
    const minutes = span(k.min);
    const startupMin = span(k.startup);
    const known = r() < (opts.history ?? 0.7);
    const sigma = opts.sigma ?? 0.3;
    jobs.push({
      id: `j${i}`,
      kind: k.kind,
      minutes,
      startupMin,
      memMiB: mem,
      // Memory estimates err high by 0–20 % (the planner uses the top of the range).
      estimateMiB: mem * (1 + r() * 0.2),
      gpus: Math.min(k.gpus, gpus),
      util: k.util,
      // Past runs of the same task or model + method: util within ~±25 %, length ±30 %, start-up ±30 %.
      est: known ? { util: Math.min(1, k.util * err(r, 0.8 * sigma)), workS: minutes * MIN * err(r, sigma), startupS: startupMin * MIN * err(r, sigma) } : { workS: null },
      liveErr: err(r, sigma / 3),
    });
  }
  return jobs;
}

export interface Machine {
  gpus: number;
  card: CardType;
}

export interface Running {
  job: Job;
  gpus: number[];
  startedAt: number;
  startupLeft: number;
  workLeft: number;
}

export type Policy = (queue: Job[], running: Running[], m: Machine, now: number) => { job: Job; gpus: number[] }[];

const range = (n: number) => Array.from({ length: n }, (_, i) => i);

/** True speeds: per card demand D and K computing jobs give min(1, 1/D) × interference^(K−1); a gang runs at its slowest card. */
export function speeds(running: Running[], m: Machine): number[] {
  const per = new Map<number, { d: number; k: number }>();
  for (const r of running) {
    for (const g of r.gpus) {
      const e = per.get(g) ?? { d: 0, k: 0 };
      e.d += r.startupLeft > 0 ? STARTUP_UTIL : r.job.util * m.card.utilScale;
      if (r.startupLeft <= 0) e.k++;
      per.set(g, e);
    }
  }
  return running.map((r) => (r.startupLeft > 0 ? 1 : Math.min(...r.gpus.map((g) => {
    const e = per.get(g)!;
    return Math.min(1, 1 / e.d) * TRUTH.interference ** (e.k - 1);
  }))));
}

/** Runs a policy to the end; returns the makespan in minutes. */
export function simulate(jobs: Job[], m: Machine, policy: Policy): number {
  let queue = [...jobs];
  const running: Running[] = [];
  let now = 0;
  for (let guard = 0; guard < 100_000; guard++) {
    for (const s of policy(queue, running, m, now)) {
      running.push({ ...s, startedAt: now, startupLeft: s.job.startupMin, workLeft: s.job.minutes });
      queue = queue.filter((j) => j !== s.job);
    }
    if (running.length === 0) {
      if (queue.length) throw new Error(`policy stalled with ${queue.length} jobs queued`);
      return now;
    }
    const sp = speeds(running, m);
    const dt = Math.min(...running.map((r, i) => (r.startupLeft > 0 ? r.startupLeft : r.workLeft / sp[i]!)));
    now += dt;
    running.forEach((r, i) => {
      if (r.startupLeft > 0) r.startupLeft = Math.max(0, r.startupLeft - dt);
      else r.workLeft -= dt * sp[i]!;
    });
    for (let i = running.length - 1; i >= 0; i--) if (running[i]!.startupLeft <= 1e-9 && running[i]!.workLeft <= 1e-9) running.splice(i, 1);
  }
  throw new Error('simulation did not finish');
}

/**
 * No schedule beats any of these: all compute at full efficiency spread over every card; memory × time over all
 * memory (start-up holds memory too); the longest job; and jobs that pairwise cannot overlap — each needs more than
 * half the cards (so two would share one) and more than half a card's memory (so two cannot share one) — back to back.
 */
export function lowerBound(jobs: Job[], m: Machine): number {
  const G = m.gpus;
  const len = (j: Job) => j.startupMin + j.minutes;
  const work = jobs.reduce((s, j) => s + j.minutes * j.util * m.card.utilScale * j.gpus, 0) / G;
  const memTime = jobs.reduce((s, j) => s + len(j) * j.memMiB * j.gpus, 0) / (G * m.card.capMiB);
  const exclusive = jobs.filter((j) => j.gpus > G / 2 && j.memMiB > (m.card.capMiB - MARGIN_MIB) / 2).reduce((s, j) => s + len(j), 0);
  return Math.max(work, memTime, exclusive, ...jobs.map(len));
}

/** One job at a time on the machine (LlamaBoard, Unsloth Studio): the next starts when the last ends. */
export const sequential: Policy = (queue, running) => (running.length === 0 && queue.length ? [{ job: queue[0]!, gpus: range(queue[0]!.gpus) }] : []);

/** FIFO with whole GPUs (task-spooler, H2O LLM Studio): the head starts when enough GPUs are idle; never two jobs on a GPU. */
export const fifoPerGpu: Policy = (queue, running, m) => {
  const busy = new Set(running.flatMap((r) => r.gpus));
  const starts: { job: Job; gpus: number[] }[] = [];
  for (const job of queue) {
    const idle = range(m.gpus).filter((g) => !busy.has(g));
    if (idle.length < job.gpus) break;
    const take = idle.slice(0, job.gpus);
    take.forEach((g) => busy.add(g));
    starts.push({ job, gpus: take });
  }
  return starts;
};

/**
 * The machine as the engine would hand it to the planner: live free memory (true use), running jobs with what the
 * engine knows (their estimate, whether they still load the model, progress × estimated length), queued items in the
 * Auto lane with their estimated profiles.
 */
function planState(queue: Job[], running: Running[], m: Machine, now: number): PlanState {
  const used = new Map<number, number>();
  for (const r of running) for (const g of r.gpus) used.set(g, (used.get(g) ?? 0) + r.job.memMiB);
  const scale = (u: number | undefined) => (u === undefined ? undefined : Math.min(1, u * m.card.utilScale));
  const planRunning: PlanRunning[] = running.map((r) => {
    const e = r.job.est;
    const elapsed = (now - r.startedAt) * MIN;
    return {
      id: r.job.id,
      gpuUuids: r.gpus.map((g) => `G${g}`),
      needMiB: Math.round(r.job.estimateMiB),
      usedMiB: Object.fromEntries(r.gpus.map((g) => [`G${g}`, r.job.memMiB])),
      util: scale(e.util),
      // After a few minutes of training the engine has the job's own step rate (its ETA, converted to solo speed);
      // before that only progress × the estimated length, or nothing for a job without history.
      workLeftS: now - r.startedAt - r.job.startupMin >= LIVE_AFTER_MIN ? r.workLeft * MIN * r.job.liveErr : e.workS === null ? null : (r.workLeft / r.job.minutes) * e.workS,
      startupLeftS: r.startupLeft > 0 ? Math.max(30, (e.startupS ?? 120) - elapsed) : 0,
    };
  });
  const items: PlanItem[] = queue.map((j, i) => ({
    id: j.id,
    lane: 'auto',
    position: i,
    createdAt: i,
    gpuCount: j.gpus,
    gpuUuids: [],
    needMiB: Math.round(j.estimateMiB),
    util: scale(j.est.util),
    workS: j.est.workS,
    ...(j.est.startupS !== undefined ? { startupS: j.est.startupS } : {}),
  }));
  return {
    gpus: range(m.gpus).map((g) => ({ uuid: `G${g}`, index: g, vendor: 'nvidia', totalMiB: m.card.capMiB, freeMiB: m.card.capMiB - (used.get(g) ?? 0) })),
    lanes: [{ id: 'auto', paused: false }],
    queued: items,
    running: planRunning,
    marginMiB: MARGIN_MIB,
  };
}

const decide = (plan: (s: PlanState) => { start: { itemId: string; gpuUuids: string[] }[] }): Policy => (queue, running, m, now) => {
  const byId = new Map(queue.map((j) => [j.id, j]));
  return plan(planState(queue, running, m, now)).start.map((d) => ({ job: byId.get(d.itemId)!, gpus: d.gpuUuids.map((u) => Number(u.slice(1))) }));
};

/** Trainyard before issue 15: best fit by memory, strict FIFO, no cap, no compute model. */
export const bestFit: Policy = decide(planBestFit);

/** Trainyard: planPlacements with the estimated profiles (expected finish time, EASY backfill, per-card cap). */
export const trainyard: Policy = decide(planPlacements);

/** A reference, not a policy: Trainyard told every job's true compute share, length and start-up (what estimation errors cost). */
export const exact: Policy = (queue, running, m, now) => {
  const truth = (j: Job): Job => ({ ...j, est: { util: j.util, workS: j.minutes * MIN, startupS: j.startupMin * MIN }, liveErr: 1 });
  const real = new Map<Job, Job>();
  for (const j of [...queue, ...running.map((r) => r.job)]) real.set(truth(j), j);
  const told = [...real.keys()];
  const byId = new Map(told.map((t) => [t.id, t]));
  return trainyard(queue.map((j) => byId.get(j.id)!), running.map((r) => ({ ...r, job: byId.get(r.job.id)! })), m, now).map((s) => ({ ...s, job: real.get(s.job)! }));
};

/**
 * Not a policy we ship: the same placement fed the queue sorted gang jobs first, then by estimated work, longest first
 * (LPT). It ignores the user's order, so it shows how much of what is left to the lower bound is the price of FIFO.
 */
export const reordered: Policy = (queue, running, m, now) => {
  const work = (j: Job) => (j.est.workS ?? 3600) * (j.est.util ?? 0.5);
  return trainyard([...queue].sort((a, b) => b.gpus - a.gpus || work(b) - work(a)), running, m, now);
};
