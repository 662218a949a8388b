/**
 * Measures training runs for the speed model, from the bus: start-up (launch to first step), steps per second while
 * alone on its cards and while sharing them (and with how many), and the card's utilisation while it trains alone.
 * Written to run_speed every minute while a run trains and when it ends, so an engine restart keeps what was measured.
 */
import { isActiveStatus } from '../../shared/domain/runState.js';
import type { Run } from '../../shared/types/run.js';
import type { GpuSnapshot } from '../../shared/types/gpu.js';
import type { CoreContext } from '../context.js';
import { createRunSpeedRepo, newSpeedRecord, type SpeedRecord } from '../store/runSpeedRepo.js';
import { soloRate, utilOf, type LiveSpeed } from './speedModel.js';
import { logger } from '../log/logger.js';

const log = logger('scheduler');

const FLUSH_MS = 60_000;

interface Tracked {
  rec: SpeedRecord;
  gpuUuids: string[];
  firstStepAt: number | null;
  /** The last progress seen, and how many of our runs computed on its cards then; null after the sharing changed. */
  last: { step: number; at: number; k: number } | null;
  flushedAt: number;
}

export interface RecorderDeps {
  /** Runs that are active now (the supervisor's view). */
  active(): Run[];
  /** Model and finetuning type of a task, for grouping (null when unknown). */
  signature(taskId: string): { model: string; finetuningType: string } | null;
  /** The latest GPU snapshot. */
  snapshot(): GpuSnapshot;
}

export function createSpeedRecorder(ctx: CoreContext, deps: RecorderDeps) {
  const repo = createRunSpeedRepo(ctx.db);
  const tracked = new Map<string, Tracked>();
  const offs: (() => void)[] = [];

  /** Our runs computing on any of these cards (a run counts itself). */
  const sharing = (uuids: string[]): number => deps.active().filter((r) => r.kind !== 'api' && r.gpuUuids.some((u) => uuids.includes(u))).length;

  function track(run: Run, now: number): Tracked {
    let t = tracked.get(run.id);
    if (t) return t;
    const sig = run.taskId ? deps.signature(run.taskId) : null;
    const gpu = deps.snapshot().gpus.find((g) => g.uuid === run.gpuUuids[0]);
    // An engine restart continues the record it had written.
    const stored = repo.get(run.id);
    const rec: SpeedRecord =
      stored ??
      newSpeedRecord({
        runId: run.id,
        taskId: run.taskId,
        model: sig?.model ?? null,
        finetuningType: sig?.finetuningType ?? null,
        gpuName: gpu?.name ?? null,
        gpuCount: run.gpuUuids.length,
        startedAt: run.startedAt,
      });
    const firstStepAt = stored?.startupS != null && stored.startedAt !== null ? stored.startedAt + stored.startupS * 1000 : null;
    t = { rec, gpuUuids: run.gpuUuids, firstStepAt, last: null, flushedAt: now };
    tracked.set(run.id, t);
    return t;
  }

  /** A run started or ended: the stretch in progress on its cards' other runs mixed two sharing states, so it is dropped. */
  function sharingChanged(run: Run): void {
    for (const [id, t] of tracked) if (id !== run.id && t.gpuUuids.some((u) => run.gpuUuids.includes(u))) t.last = null;
  }

  function onRun(run: Run): void {
    if (run.kind !== 'train') return;
    const now = Date.now();
    const known = tracked.has(run.id);
    if (!isActiveStatus(run.status)) {
      const t = tracked.get(run.id);
      if (t) finish(t, run, now);
      sharingChanged(run);
      return;
    }
    const t = track(run, now);
    if (!known) sharingChanged(run);
    // A run is first seen while starting, before its process (and so its start time) exists.
    if (t.rec.startedAt === null) t.rec.startedAt = run.startedAt;
    const p = run.progress;
    if (p && p.step > 0) {
      const r = t.rec;
      if (t.firstStepAt === null) {
        // LLaMA-Factory's elapsed time counts from the first step: launch to now minus it is the model load.
        t.firstStepAt = now - (p.elapsedSeconds ?? 0) * 1000;
        if (r.startedAt !== null) r.startupS = Math.max(0, (t.firstStepAt - r.startedAt) / 1000);
      }
      const k = sharing(t.gpuUuids);
      const last = t.last;
      if (last && last.k === k && p.step > last.step && now > last.at) {
        const dt = (now - last.at) / 1000;
        const ds = p.step - last.step;
        if (k <= 1) {
          r.soloSteps += ds;
          r.soloS += dt;
        } else {
          r.sharedSteps += ds;
          r.sharedS += dt;
          r.sharedRunsS += k * dt;
        }
      }
      // A resume counts steps again from a checkpoint: start a new stretch.
      t.last = { step: p.step, at: now, k };
      r.stepsDone = p.step;
      if (p.totalSteps !== null) r.totalSteps = p.totalSteps;
    }
    if (now - t.flushedAt >= FLUSH_MS) flush(t, now);
  }

  function onSnapshot(snap: GpuSnapshot): void {
    for (const t of tracked.values()) {
      if (t.firstStepAt === null) continue;
      const k = sharing(t.gpuUuids);
      if (t.last && t.last.k !== k) t.last = null;
      // Alone on its cards, with no other program's process there: the card's utilisation is this run's.
      const foreign = snap.processes.some((p) => p.runId === null && t.gpuUuids.includes(p.gpuUuid));
      if (k !== 1 || foreign) continue;
      const utils = snap.gpus.filter((g) => t.gpuUuids.includes(g.uuid)).map((g) => g.utilizationGpuPct).filter((u): u is number => u !== null);
      if (utils.length === 0) continue;
      t.rec.utilSum += utils.reduce((a, b) => a + b, 0) / utils.length / 100;
      t.rec.utilN++;
    }
  }

  function flush(t: Tracked, now: number): void {
    try {
      repo.save(t.rec, now);
      t.flushedAt = now;
    } catch (e) {
      // A full disk must not stop scheduling: the record is kept in memory and written on the next try.
      log.error('could not save a run speed record', e);
    }
  }

  function finish(t: Tracked, run: Run, now: number): void {
    const r = t.rec;
    r.status = run.status;
    r.endedAt = run.endedAt ?? now;
    if (run.progress && run.progress.step > 0) r.stepsDone = run.progress.step;
    r.trainS = t.firstStepAt !== null ? Math.max(0, (r.endedAt - t.firstStepAt) / 1000) : null;
    flush(t, now);
    tracked.delete(run.id);
  }

  return {
    start(): void {
      offs.push(ctx.bus.on('runs.changed', onRun));
      offs.push(ctx.bus.on('gpus.snapshot', onSnapshot));
      const now = Date.now();
      for (const run of deps.active()) if (run.kind === 'train') track(run, now);
    },
    stop(): void {
      for (const off of offs.splice(0)) off();
      const now = Date.now();
      for (const t of tracked.values()) flush(t, now);
      tracked.clear();
    },
    /** What is measured so far of a running run. */
    live(runId: string): LiveSpeed | null {
      const t = tracked.get(runId);
      if (!t) return null;
      const util = utilOf({ ...t.rec, sharedS: 0 });
      return { soloStepsPerS: soloRate(t.rec), firstStepAt: t.firstStepAt, ...(util !== undefined ? { util } : {}) };
    },
    history: repo.history,
  };
}

export type SpeedRecorder = ReturnType<typeof createSpeedRecorder>;
