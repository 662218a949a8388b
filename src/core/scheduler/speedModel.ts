/**
 * What the planner expects of a job, learned from past runs (run_speed): its compute share, its length alone and its
 * start-up — from the same task's runs, else the same model + finetuning type's — and, for a running job, how much is
 * left from its own progress. Pure: the recorder (speedRecorder.ts) measures, this file estimates.
 */
import type { RunProgress } from '../../shared/types/run.js';
import type { SpeedRecord } from '../store/runSpeedRepo.js';
import { INTERFERENCE } from './sharing.js';

/** A job's profile for the planner; undefined/null fields fall back to its conservative guesses (profile.ts). */
export interface JobProfile {
  util?: number;
  workS: number | null;
  startupS?: number;
  /** Where it came from: the same task's runs, the same model + method's, or nothing. */
  basis: 'task' | 'model' | 'none';
  runs: number;
}

/** Less than this much time in a state is too little to measure a rate from. */
const MIN_SECONDS = 30;

const median = (xs: number[]): number | undefined => {
  if (xs.length === 0) return undefined;
  const s = [...xs].sort((a, b) => a - b);
  const m = s.length >> 1;
  return s.length % 2 ? s[m] : (s[m - 1]! + s[m]!) / 2;
};

export const soloRate = (r: SpeedRecord): number | null => (r.soloS >= MIN_SECONDS && r.soloSteps > 0 ? r.soloSteps / r.soloS : null);

/**
 * Compute share of one run, from how much sharing slowed it: with K processes on the card running at s × its solo
 * speed, the sharing model (sharing.ts) gives s = min(1, 1/D) × INTERFERENCE^(K−1); taking its neighbours to be like it
 * (D = K × util) gives util = 1 / (K × s / INTERFERENCE^(K−1)). A run that sharing did not slow gives an upper bound,
 * which is the safe side. Without shared time: the card's utilisation while it ran alone (nvidia-smi counts a card
 * busy while any kernel runs, so this over-states the share — again the safe side).
 */
export function utilOf(r: SpeedRecord): number | undefined {
  const solo = soloRate(r);
  if (solo && r.sharedS >= MIN_SECONDS && r.sharedSteps > 0) {
    const k = r.sharedRunsS / r.sharedS;
    const s = r.sharedSteps / r.sharedS / solo / INTERFERENCE ** Math.max(0, k - 1);
    return clampUtil(1 / (k * s));
  }
  return r.utilN >= 3 ? clampUtil(r.utilSum / r.utilN) : undefined;
}

const clampUtil = (u: number) => Math.min(1, Math.max(0.05, u));

/** Seconds of training the run would have needed alone: its steps at its solo rate, else its training wall time (longer when it shared). */
export function soloWorkOf(r: SpeedRecord): number | undefined {
  if (r.status !== 'finished') return undefined;
  const rate = soloRate(r);
  const steps = r.totalSteps ?? r.stepsDone;
  if (rate && steps > 0) return steps / rate;
  return r.trainS ?? undefined;
}

/** The profile of a new run of a task from its history (the same task's runs first); `gpuName` prefers compute shares measured on that card. */
export function profileFromHistory(h: { task: SpeedRecord[]; model: SpeedRecord[] }, gpuName?: string | null): JobProfile {
  const rows = h.task.length ? h.task : h.model;
  if (rows.length === 0) return { workS: null, basis: 'none', runs: 0 };
  const sameCard = gpuName ? rows.filter((r) => r.gpuName === gpuName) : [];
  const utils = (sameCard.length ? sameCard : rows).map(utilOf).filter((u): u is number => u !== undefined);
  const work = rows.map(soloWorkOf).filter((w): w is number => w !== undefined);
  const startups = rows.map((r) => r.startupS).filter((s): s is number => s !== null);
  const util = median(utils);
  const startupS = median(startups);
  return {
    ...(util !== undefined ? { util } : {}),
    workS: median(work) ?? null,
    ...(startupS !== undefined ? { startupS } : {}),
    basis: h.task.length ? 'task' : 'model',
    runs: rows.length,
  };
}

/** What the recorder knows about a run while it runs. */
export interface LiveSpeed {
  /** Steps per second while alone on its cards (null until measured). */
  soloStepsPerS: number | null;
  /** When its first training step was seen (ms), null while it loads. */
  firstStepAt: number | null;
  /** Its card's utilisation while it trained alone (0–1), once sampled a few times. */
  util?: number;
}

/**
 * A running job for the planner: still loading (no step yet) → the rest of its expected start-up and all of its work;
 * training → steps left at its measured solo rate, else the trainer's ETA at the current pace (longer than alone when
 * it shares: the safe side), else the expected length minus the training so far; null when nothing says.
 */
export function runningProfile(p: { startedAt: number | null; progress: RunProgress | null }, expected: JobProfile, live: LiveSpeed | null, now: number, defaultStartupS: number) {
  const step = p.progress?.step ?? 0;
  const training = step > 0 || !!live?.firstStepAt;
  // A task without history gets its compute share from this very run once it has trained alone for a while.
  const util = expected.util ?? live?.util;
  if (!training) {
    const loading = p.startedAt === null ? 0 : (now - p.startedAt) / 1000;
    return { util, startupLeftS: Math.max(15, (expected.startupS ?? defaultStartupS) - loading), workLeftS: expected.workS };
  }
  const total = p.progress?.totalSteps ?? null;
  let workLeftS: number | null = null;
  if (total !== null && live?.soloStepsPerS) workLeftS = Math.max(0, total - step) / live.soloStepsPerS;
  else if (p.progress?.etaSeconds != null) workLeftS = p.progress.etaSeconds;
  else if (expected.workS !== null) {
    const trained = live?.firstStepAt ? (now - live.firstStepAt) / 1000 : (p.progress?.elapsedSeconds ?? 0);
    workLeftS = total ? expected.workS * Math.max(0, 1 - step / total) : Math.max(60, expected.workS - trained);
  }
  return { util, startupLeftS: 0, workLeftS };
}
