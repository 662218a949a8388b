/** The scheduler loop: on every snapshot, run change and board change, plans placements and launches what fits. */
import { ACTIVE_RUN_STATUSES, type Run } from '../../shared/types/run.js';
import type { GpuSnapshot } from '../../shared/types/gpu.js';
import type { QueueItem } from '../../shared/types/task.js';
import type { TaskService } from '../configs/taskService.js';
import type { CoreContext } from '../context.js';
import type { GpuMonitor } from '../gpu/gpuDomain.js';
import type { RunSupervisor } from '../runs/supervisorApi.js';
import type { Board } from './board.js';
import { planGpus } from './board.js';
import type { PlanRunning } from './capacity.js';
import { planPlacements, type PlanItem, type PlanState } from './placement.js';

/** An OOM this early means the config does not fit, not that a neighbour grew: retry once with a note. */
export const EARLY_OOM_MS = 3 * 60_000;
const RETRY_AFTER_LAUNCH_ERROR_MS = 60_000;

export interface SchedulerDeps {
  board: Board;
  tasks: TaskService;
  gpus: GpuMonitor;
  runs: RunSupervisor;
}

/** Running runs as the planner sees them: board items use the figure they were placed with, other runs their estimate. */
export function runningForPlan(runs: Run[], items: QueueItem[], snap: GpuSnapshot): PlanRunning[] {
  const byRun = new Map(items.filter((i) => i.runId).map((i) => [i.runId!, i]));
  return runs.map((r) => {
    const used: Record<string, number> = {};
    for (const p of snap.processes) if (p.runId === r.id && p.usedMemoryMiB != null) used[p.gpuUuid] = (used[p.gpuUuid] ?? 0) + p.usedMemoryMiB;
    const item = byRun.get(r.id);
    return { id: r.id, gpuUuids: r.gpuUuids, needMiB: item?.needMiB ?? r.estimateMiB, usedMiB: used };
  });
}

export function createScheduler(ctx: CoreContext, deps: SchedulerDeps) {
  const { board, tasks, gpus, runs } = deps;
  const launchErrors = new Map<string, { until: number; message: string }>();
  const offs: (() => void)[] = [];
  let timer: NodeJS.Timeout | null = null;
  /** The pass in progress: a tick during it asks for one more pass and waits for the same promise. */
  let current: Promise<void> | null = null;
  let again = false;
  let stopped = true;

  function state(): PlanState | null {
    const snap = gpus.snapshot();
    if ((snap.notice?.kind as string) === 'detecting' || snap.gpus.length === 0) return null;
    const items = board.repo.active();
    const now = Date.now();
    const queued: PlanItem[] = items
      .filter((i) => i.state === 'queued')
      .map((i) => {
        const task = tasks.get(i.taskId);
        const failed = launchErrors.get(i.id);
        let blocked: string | undefined;
        if (!task) blocked = 'its task was removed';
        else if (!task.ok) blocked = `its config has errors: ${task.issues.find((x) => x.severity === 'error')?.message ?? ''}`;
        else if (failed && failed.until > now) blocked = `could not start: ${failed.message}`;
        const est = task?.ok ? tasks.estimateFor(task.id, i.gpuCount) : null;
        const need = est ? Math.max(est.highMiB, i.needMiB ?? 0) : (i.needMiB ?? null);
        return { id: i.id, lane: i.lane, position: i.position, createdAt: i.createdAt, gpuCount: i.gpuCount, gpuUuids: i.gpuUuids, needMiB: need, ...(blocked ? { blocked } : {}) };
      });
    return {
      gpus: planGpus(snap),
      lanes: board.state().lanes,
      queued,
      running: runningForPlan(runs.active(), items, snap),
      marginMiB: ctx.settings().safetyMarginMiB,
    };
  }

  async function launch(itemId: string, gpuUuids: string[], needMiB: number | null): Promise<void> {
    const item = board.repo.get(itemId);
    const task = item ? tasks.get(item.taskId) : null;
    if (!item || !task) return;
    const snap = gpus.snapshot();
    const idx = gpuUuids.map((u) => snap.gpus.find((g) => g.uuid === u)?.index ?? -1).filter((i) => i >= 0);
    // Marked running before the await: a tick that lands meanwhile must not start it twice.
    board.repo.setState(item.id, 'running', null, null, needMiB);
    const est = tasks.estimateFor(task.id, gpuUuids.length);
    const ratio = est?.calibration ? Math.min(2, Math.max(0.5, est.calibration.meanRatio)) : 1;
    try {
      const run = await runs.launch({
        name: task.name,
        kind: task.kind === 'eval' ? 'predict' : 'train',
        taskId: task.id,
        sweepId: task.sweepId,
        parentRunId: null,
        configYaml: task.yaml,
        workDir: task.workDir,
        gpuIndices: idx,
        gpuUuids,
        // The uncalibrated figure: calibration compares measured peaks with what the model alone predicted.
        estimateMiB: est ? Math.round(est.highMiB / ratio) : null,
      });
      launchErrors.delete(item.id);
      // The launch can take seconds: the item may have been cancelled (or removed) meanwhile.
      const now = board.repo.get(item.id);
      if (!now || now.state !== 'running' || now.runId !== null) {
        await runs.stop(run.id).catch((e: unknown) => console.error('[scheduler] could not stop the run of a cancelled item:', e));
        return;
      }
      board.repo.setState(item.id, 'running', run.id, null, needMiB);
      // A run that already ended inside launch() fired its change before the item knew its run id.
      const latest = runs.get(run.id) ?? run;
      if (!ACTIVE_RUN_STATUSES.includes(latest.status)) onRunChange(latest);
    } catch (e) {
      const message = e instanceof Error ? e.message : String(e);
      launchErrors.set(item.id, { until: Date.now() + RETRY_AFTER_LAUNCH_ERROR_MS, message });
      const now = board.repo.get(item.id);
      // Only an item still waiting on this launch goes back to the queue; a cancelled one stays cancelled.
      if (now && now.state === 'running' && now.runId === null) board.repo.setState(item.id, 'queued', null, `Could not start: ${message}`, item.needMiB ?? null);
    }
  }

  function tick(): Promise<void> {
    if (stopped) return Promise.resolve();
    if (current) {
      again = true;
      return current;
    }
    current = passes().finally(() => {
      current = null;
    });
    return current;
  }

  async function passes(): Promise<void> {
    try {
      do {
        again = false;
        const s = state();
        if (!s) break;
        const plan = planPlacements(s);
        const needs = new Map(s.queued.map((q) => [q.id, q.needMiB]));
        let changed = false;
        for (const w of plan.waiting) {
          const it = board.repo.get(w.itemId);
          // Notes after an OOM carry the suggested change; keep those until the item starts.
          if (it && it.note !== w.reason && !(it.attempts && it.note?.startsWith('Out of memory'))) {
            board.repo.setNote(it.id, w.reason);
            changed = true;
          }
        }
        for (const d of plan.start) {
          await launch(d.itemId, d.gpuUuids, needs.get(d.itemId) ?? null);
          changed = true;
        }
        if (changed) board.changed();
      } while (again && !stopped);
    } catch (e) {
      console.error('[scheduler] planning failed:', e);
    }
  }

  /** A run ended: free its item; an early OOM goes back to the front of its lane once, with what to change. */
  function onRunChange(run: Run): void {
    if (ACTIVE_RUN_STATUSES.includes(run.status)) return;
    const item = board.repo.byRun(run.id);
    if (!item || item.state !== 'running') return;
    board.repo.setState(item.id, 'done', run.id, item.note, item.needMiB ?? null);
    const early = run.startedAt !== null && (run.endedAt ?? Date.now()) - run.startedAt < EARLY_OOM_MS;
    if (run.status === 'failed' && run.failure?.kind === 'oom' && early && (item.attempts ?? 0) < 1) {
      const suggestion = run.failure.suggestion || 'lower per_device_train_batch_size or cutoff_len, or set quantization_bit: 4';
      const floor = Math.round(Math.max(item.needMiB ?? 0, run.peakMiB ?? 0) * 1.25) || null;
      board.requeueFront({ ...item, attempts: (item.attempts ?? 0) + 1, needMiB: floor }, `Out of memory ${Math.round(((run.endedAt ?? Date.now()) - run.startedAt!) / 1000)} s after start; retrying with room for ${floor ? Math.round(floor / 1024) : '?'} GiB. Suggested: ${suggestion}`);
    }
    board.changed();
    schedule();
  }

  function schedule(): void {
    if (stopped) return;
    void tick();
  }

  return {
    tick,
    schedule,
    start() {
      stopped = false;
      offs.push(ctx.bus.on('gpus.snapshot', schedule));
      offs.push(ctx.bus.on('board.changed', () => schedule()));
      offs.push(runs.onChange(onRunChange));
      // Events drive it; the timer covers a monitor that is quiet (CPU device) or a launch error's back-off ending.
      timer = setInterval(schedule, 5_000);
      schedule();
    },
    stop() {
      stopped = true;
      for (const off of offs.splice(0)) off();
      if (timer) clearInterval(timer);
      timer = null;
    },
    /** For tests: handle a run change synchronously. */
    onRunChange,
  };
}

export type Scheduler = ReturnType<typeof createScheduler>;
