/** The scheduler loop: on every snapshot, run change and board change, plans placements and launches what fits. */
import { isActiveStatus } from '../../shared/domain/runState.js';
import { memoryClaims } from '../../shared/domain/promisedMemory.js';
import { msg, verbatim, type Message } from '../../shared/messages/message.js';
import type { Run } from '../../shared/types/run.js';
import type { GpuSnapshot } from '../../shared/types/gpu.js';
import type { QueueItem } from '../../shared/types/task.js';
import type { TaskService } from '../configs/taskService.js';
import type { CoreContext } from '../context.js';
import type { GpuMonitor } from '../gpu/gpuDomain.js';
import type { LaunchSpec, RunSupervisor } from '../runs/supervisorApi.js';
import type { Board } from './board.js';
import { planGpus } from './board.js';
import type { PlanRunning } from './capacity.js';
import { planOutputs } from './outputPlan.js';
import { planPlacements, type PlanItem, type PlanState } from './placement.js';
import { configSignature, createProfiles } from './profiles.js';
import { createSpeedRecorder } from './speedRecorder.js';
import { ownResourceDirs } from '../runs/prepareLaunch.js';
import { logger } from '../log/logger.js';

const log = logger('scheduler');
import type { SlurmLanes } from '../slurm/slurmDomain.js';
import { laneSlurmPartition } from '../../shared/domain/lanes.js';

/** An OOM this early means the config does not fit, not that a neighbour grew: retry once with a note. */
export const EARLY_OOM_MS = 3 * 60_000;
const RETRY_AFTER_LAUNCH_ERROR_MS = 60_000;

export interface SchedulerDeps {
  board: Board;
  tasks: TaskService;
  gpus: GpuMonitor;
  runs: RunSupervisor;
  /** Slurm lanes: their items go straight to sbatch (Slurm is their queue); absent, they just wait. */
  slurm?: SlurmLanes;
}

/** Running runs as the planner sees them: board items use the figure they were placed with, other runs their estimate. */
export function runningForPlan(runs: Run[], items: QueueItem[], snap: GpuSnapshot): PlanRunning[] {
  return memoryClaims(runs, items, snap.processes);
}

export function createScheduler(ctx: CoreContext, deps: SchedulerDeps) {
  const { board, tasks, gpus, runs } = deps;
  const launchErrors = new Map<string, { until: number; message: string }>();
  // Learns start-up, length and compute share from the runs themselves (issue 15); the plans read it through `profiles`.
  const recorder = createSpeedRecorder(ctx, {
    active: () => runs.active(),
    snapshot: () => gpus.snapshot(),
    signature: (taskId) => {
      const t = tasks.get(taskId);
      return t ? configSignature(t.yaml) : null;
    },
  });
  const profiles = createProfiles(recorder);
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
      // Slurm lanes are Slurm's to place (dispatchSlurm); the planner only sees this machine's cards.
      .filter((i) => i.state === 'queued' && !laneSlurmPartition(i.lane))
      .map((i) => {
        const task = tasks.get(i.taskId);
        const failed = launchErrors.get(i.id);
        let blocked: Message | undefined;
        if (!task) blocked = msg('scheduler.taskRemoved');
        else if (!task.ok) {
          const first = task.issues.find((x) => x.severity === 'error');
          blocked = msg('scheduler.configErrors', { error: first?.said ?? verbatim(first?.message ?? '') });
        } else if (failed && failed.until > now) blocked = msg('scheduler.couldNotStart', { error: verbatim(failed.message) });
        const est = task?.ok ? tasks.estimateFor(task.id, i.gpuCount) : null;
        const need = est ? Math.max(est.highMiB, i.needMiB ?? 0) : (i.needMiB ?? null);
        const p = task ? profiles.forTask(task, now) : null;
        const profile = p ? { workS: p.workS, ...(p.util !== undefined ? { util: p.util } : {}), ...(p.startupS !== undefined ? { startupS: p.startupS } : {}) } : {};
        return { id: i.id, lane: i.lane, position: i.position, createdAt: i.createdAt, gpuCount: i.gpuCount, gpuUuids: i.gpuUuids, needMiB: need, ...profile, ...(blocked ? { blocked } : {}) };
      });
    const active = runs.active();
    const byId = new Map(active.map((r) => [r.id, r]));
    return {
      gpus: planGpus(snap),
      lanes: board.state().lanes,
      queued,
      running: runningForPlan(active, items, snap).map((base) => {
        const run = byId.get(base.id)!;
        return profiles.forRun(run, run.taskId ? tasks.get(run.taskId) : null, base, now);
      }),
      marginMiB: ctx.settings().safetyMarginMiB,
      maxRunsPerGpu: ctx.settings().maxRunsPerGpu,
    };
  }

  async function launch(itemId: string, gpuUuids: string[], needMiB: number | null): Promise<void> {
    const item = board.repo.get(itemId);
    const task = item ? tasks.get(item.taskId) : null;
    if (!item || !task) return;
    const partition = laneSlurmPartition(item.lane);
    const snap = gpus.snapshot();
    const idx = gpuUuids.map((u) => snap.gpus.find((g) => g.uuid === u)?.index ?? -1).filter((i) => i >= 0);
    // Marked running before the await: a tick that lands meanwhile must not start it twice.
    board.repo.setState(item.id, 'running', null, null, needMiB);
    // The folder its card showed: planned with the other waiting items (this one counts as waiting until its run exists).
    const output = planOutputs(board.repo.active(), (id) => tasks.get(id), (id) => runs.get(id), runs.active(), ownResourceDirs(ctx)).get(item.id);
    const est = tasks.estimateFor(task.id, partition ? item.gpuCount : gpuUuids.length);
    const ratio = est?.calibration ? Math.min(2, Math.max(0.5, est.calibration.meanRatio)) : 1;
    try {
      const spec = {
        name: task.name,
        kind: task.kind === 'eval' ? 'predict' : task.kind === 'export' ? 'export' : 'train',
        taskId: task.id,
        sweepId: task.sweepId,
        parentRunId: null,
        configYaml: task.yaml,
        workDir: task.workDir,
        gpuIndices: idx,
        gpuUuids,
        // The uncalibrated figure: calibration compares measured peaks with what the model alone predicted.
        estimateMiB: est ? Math.round(est.highMiB / ratio) : null,
        ...(output?.path ? { outputDir: output.path } : {}),
      } satisfies LaunchSpec;
      if (partition && !deps.slurm) throw new Error('Slurm is not available to this engine.');
      const run = partition ? await deps.slurm!.submit(spec, partition, item) : await runs.launch(spec);
      launchErrors.delete(item.id);
      // The launch can take seconds: the item may have been cancelled (or removed) meanwhile.
      const now = board.repo.get(item.id);
      if (!now || now.state !== 'running' || now.runId !== null) {
        await runs.stop(run.id).catch((e: unknown) => log.error('could not stop the run of a cancelled item', e));
        return;
      }
      board.repo.setState(item.id, 'running', run.id, null, needMiB);
      // A run that already ended inside launch() fired its change before the item knew its run id.
      const latest = runs.get(run.id) ?? run;
      if (!isActiveStatus(latest.status)) onRunChange(latest);
    } catch (e) {
      const message = e instanceof Error ? e.message : String(e);
      launchErrors.set(item.id, { until: Date.now() + RETRY_AFTER_LAUNCH_ERROR_MS, message });
      const now = board.repo.get(item.id);
      // Only an item still waiting on this launch goes back to the queue; a cancelled one stays cancelled.
      if (now && now.state === 'running' && now.runId === null) board.repo.setState(item.id, 'queued', null, msg('scheduler.launchFailed', { error: verbatim(message) }), item.needMiB ?? null);
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

  /** Every waiting item of a Slurm lane (not paused, not backing off after an error) is submitted now. */
  async function dispatchSlurm(): Promise<boolean> {
    if (!deps.slurm) return false;
    const paused = new Set(board.state().lanes.filter((l) => l.paused).map((l) => l.id));
    const now = Date.now();
    let changed = false;
    for (const item of board.repo.active()) {
      if (item.state !== 'queued' || !laneSlurmPartition(item.lane) || paused.has(item.lane)) continue;
      const failed = launchErrors.get(item.id);
      if (failed && failed.until > now) continue;
      const task = tasks.get(item.taskId);
      if (!task?.ok) continue;
      await launch(item.id, [], item.needMiB ?? null);
      changed = true;
    }
    return changed;
  }

  async function passes(): Promise<void> {
    try {
      do {
        again = false;
        if (await dispatchSlurm()) board.changed();
        const s = state();
        if (!s) break;
        const plan = planPlacements(s);
        const needs = new Map(s.queued.map((q) => [q.id, q.needMiB]));
        let changed = false;
        for (const w of plan.waiting) {
          const it = board.repo.get(w.itemId);
          // Notes after an OOM carry the suggested change; keep those until the item starts.
          if (it && it.note !== w.reason && !(it.attempts && it.note?.startsWith('Out of memory'))) {
            board.repo.setNote(it.id, w.said);
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
      log.error('planning failed', e);
    }
  }

  /** A run ended: free its item; an early OOM goes back to the front of its lane once, with what to change. */
  function onRunChange(run: Run): void {
    if (isActiveStatus(run.status)) return;
    const item = board.repo.byRun(run.id);
    if (!item || item.state !== 'running') return;
    board.repo.setState(item.id, 'done', run.id, item.noteSaid ?? item.note, item.needMiB ?? null);
    const early = run.startedAt !== null && (run.endedAt ?? Date.now()) - run.startedAt < EARLY_OOM_MS;
    if (run.status === 'failed' && run.failure?.kind === 'oom' && early && (item.attempts ?? 0) < 1) {
      const floor = Math.round(Math.max(item.needMiB ?? 0, run.peakMiB ?? 0) * 1.25) || null;
      const note = msg('scheduler.oomRetry', {
        seconds: Math.round(((run.endedAt ?? Date.now()) - run.startedAt!) / 1000),
        gib: floor ? Math.round(floor / 1024) : '?',
        suggestion: run.failure.suggestion,
      });
      board.requeueFront({ ...item, attempts: (item.attempts ?? 0) + 1, needMiB: floor }, note);
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
      recorder.start();
      offs.push(ctx.bus.on('gpus.snapshot', schedule));
      offs.push(ctx.bus.on('board.changed', () => schedule()));
      offs.push(runs.onChange(onRunChange));
      // Events drive it; the timer covers a monitor that is quiet (CPU device) or a launch error's back-off ending.
      timer = setInterval(schedule, 5_000);
      schedule();
    },
    stop() {
      stopped = true;
      recorder.stop();
      for (const off of offs.splice(0)) off();
      if (timer) clearInterval(timer);
      timer = null;
    },
    /** For tests: handle a run change synchronously. */
    onRunChange,
  };
}

export type Scheduler = ReturnType<typeof createScheduler>;
