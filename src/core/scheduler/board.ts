/** Board operations on stored lanes and queues: enqueue, move, cancel, run next, retry, pause, and the fit check. */
import { isRunActive } from '../../shared/domain/runState.js';
import type { BoardState, FitCheck } from '../../shared/contract/tasks.js';
import { RpcError } from '../../shared/rpc/protocol.js';
import { msg, type Message } from '../../shared/messages/message.js';
import type { GpuSnapshot } from '../../shared/types/gpu.js';
import type { Lane, LaneId, QueueItem, Task } from '../../shared/types/task.js';
import type { TaskService } from '../configs/taskService.js';
import type { CoreContext } from '../context.js';
import type { GpuMonitor } from '../gpu/gpuDomain.js';
import type { RunSupervisor } from '../runs/supervisorApi.js';
import { createBoardRepo } from '../store/boardRepo.js';
import { newId } from '../util/ids.js';
import { gpuRooms, roomFor, type PlanGpu, type PlanRunning } from './capacity.js';
import { planOutputs } from './outputPlan.js';
import { laneGpu } from './choose.js';
import { ownResourceDirs } from '../runs/prepareLaunch.js';
import type { SlurmLanes } from '../slurm/slurmDomain.js';
import { laneSlurmPartition, slurmLane } from '../../shared/domain/lanes.js';

export { laneGpu };

/**
 * The cards as the planner sees them. A card that only other programs use (their processes there, none of our runs)
 * lends them its measured utilisation, so Auto does not mistake a card busy with someone's job for an idle one; with
 * our runs on it too the split is unknown and their share is not guessed.
 */
export function planGpus(s: GpuSnapshot): PlanGpu[] {
  return s.gpus.map((g) => {
    const procs = s.processes.filter((p) => p.gpuUuid === g.uuid);
    const othersOnly = procs.length > 0 && procs.every((p) => p.runId === null);
    const otherUtil = othersOnly && g.utilizationGpuPct !== null ? g.utilizationGpuPct / 100 : 0;
    return { uuid: g.uuid, index: g.index, name: g.name, vendor: g.vendor, totalMiB: g.memoryTotalMiB, freeMiB: g.memoryFreeMiB, ...(otherUtil > 0 ? { otherUtil } : {}) };
  });
}

const first = (t: Task) => t.issues.find((i) => i.severity === 'error');

/** A task with config errors fits nowhere: the reason is its first error, worded in the user's language. */
function configFirst(t: Task, neededMiB: number | null): FitCheck {
  const said = msg('config.blocked.fit', { issue: first(t)?.said ?? msg('config.blocked.hasErrors') });
  return { fits: false, reason: said.text, said, neededMiB, freeMiB: null };
}

export interface BoardDeps {
  tasks: TaskService;
  gpus: GpuMonitor;
  runs: RunSupervisor;
  /** The cluster's partitions become `slurm:<partition>` lanes. */
  slurm?: SlurmLanes;
}

export function createBoard(ctx: CoreContext, deps: BoardDeps) {
  const repo = createBoardRepo(ctx.db);

  /** The board's items with the folder each run writes (or will write) to, so the card can say so before it starts. */
  function withOutputs(items: QueueItem[]): QueueItem[] {
    const plan = planOutputs(items, (id) => deps.tasks.get(id), (id) => deps.runs.get(id), deps.runs.active(), ownResourceDirs(ctx));
    return items.map((i) => ({ ...i, output: plan.get(i.id) ?? null }));
  }

  function state(): BoardState {
    const stored = new Map(repo.lanes().map((l) => [l.id, l.paused]));
    const partitions = deps.slurm?.cluster().partitions ?? [];
    const ids: LaneId[] = ['auto', ...deps.gpus.snapshot().gpus.map((g) => `gpu:${g.uuid}` as LaneId), ...partitions.map((p) => slurmLane(p.name))];
    // A lane whose GPU is gone (unplugged, other machine) stays visible while it still holds items.
    const items = repo.active();
    for (const it of items) if (!ids.includes(it.lane)) ids.push(it.lane);
    const lanes: Lane[] = ids.map((id) => ({ id, paused: stored.get(id) ?? false }));
    return { lanes, queue: withOutputs(items) };
  }

  const changed = () => {
    const s = state();
    ctx.bus.emit('board.changed', s);
    return s;
  };

  function mustItem(id: string): QueueItem {
    const it = repo.get(id);
    if (!it) throw new RpcError('not_found', `No queue item ${id}.`);
    return it;
  }

  /** Puts an item at `position` among the lane's queued items (end when omitted) and renumbers the lane. */
  function placeAt(item: QueueItem, lane: LaneId, position: number | undefined) {
    const ids = repo.queuedIn(lane).map((q) => q.id).filter((id) => id !== item.id);
    ids.splice(Math.min(position ?? ids.length, ids.length), 0, item.id);
    repo.reorder(lane, ids);
  }

  /** A new waiting item for a task, placed in its lane in one transaction. */
  function insertQueued(f: Pick<QueueItem, 'taskId' | 'lane' | 'gpuCount' | 'gpuUuids'> & { slurm?: QueueItem['slurm'] }, position: number | undefined): QueueItem {
    const item: QueueItem = {
      ...f,
      id: newId('q'),
      position: 0,
      state: 'queued',
      note: null,
      runId: null,
      createdAt: Date.now(),
      attempts: 0,
      needMiB: null,
    };
    repo.transaction(() => {
      repo.insert(item);
      placeAt(item, f.lane, position);
    })();
    return item;
  }

  function checkLane(lane: LaneId, gpuUuids: string[], gpuCount: number) {
    const partition = laneSlurmPartition(lane);
    if (partition) {
      const cluster = deps.slurm?.cluster();
      if (!cluster?.partitions.some((p) => p.name === partition)) {
        throw new RpcError('bad_request', `Slurm partition "${partition}" is not available here${cluster?.problem ? ` (${cluster.problem})` : ''}.`);
      }
      if (gpuUuids.length) throw new RpcError('bad_request', 'A Slurm lane takes a GPU count, not this machine\'s cards: Slurm picks the GPUs.');
      return;
    }
    if (lane.startsWith('slurm:')) throw new RpcError('bad_request', `"${lane}" is not a Slurm partition name.`);
    const snap = deps.gpus.snapshot();
    const present = new Set(snap.gpus.map((g) => g.uuid));
    const home = laneGpu(lane);
    for (const u of [...(home ? [home] : []), ...gpuUuids]) {
      if (!present.has(u)) throw new RpcError('bad_request', `GPU ${u} is not on this machine; pick one of its cards.`);
    }
    if (gpuCount > snap.gpus.length) throw new RpcError('bad_request', `The run needs ${gpuCount} GPUs; this machine has ${snap.gpus.length}.`);
  }

  function refuseUnrunnable(task: Task, gpuCount: number, lane: LaneId = 'auto') {
    const err = first(task);
    if (!task.ok) {
      const n = task.issues.filter((i) => i.severity === 'error').length;
      const issue = err?.said ?? msg('config.blocked.hasErrors');
      throw new RpcError('bad_request', n > 1 ? msg('config.blocked.queueMany', { task: task.name, n, issue }) : msg('config.blocked.queueOne', { task: task.name, issue }));
    }
    if (task.kind === 'infer') throw new RpcError('bad_request', `"${task.name}" is an inference config (no do_train): open it in Chat instead of the board.`);
    // A Slurm partition's nodes are not this machine's cards: their size is Slurm's business.
    if (laneSlurmPartition(lane)) return;
    const e = deps.tasks.estimateFor(task.id, gpuCount);
    const biggest = Math.max(0, ...deps.gpus.snapshot().gpus.map((g) => g.memoryTotalMiB ?? 0));
    if (e && biggest > 0 && e.lowMiB > biggest) {
      throw new RpcError(
        'bad_request',
        `"${task.name}" needs at least ${Math.round(e.lowMiB / 1024)} GiB per GPU; the largest card here has ${Math.round(biggest / 1024)} GiB. Use LoRA or QLoRA (quantization_bit: 4), or DeepSpeed ZeRO-3 over several GPUs.`,
      );
    }
  }

  /** A Slurm lane: Slurm decides where and when; the check says whether the partition can take it and how many GPUs are free now. */
  function slurmFit(task: Task, partition: string): FitCheck {
    const est = deps.tasks.estimateFor(task.id, 1);
    const part = deps.slurm?.cluster().partitions.find((p) => p.name === partition);
    if (!task.ok) return configFirst(task, est?.highMiB ?? null);
    if (!part) return { fits: false, reason: `Slurm partition ${partition} is not available`, neededMiB: est?.highMiB ?? null, freeMiB: null };
    const usable = part.nodes.filter((n) => !/drain|down|fail/.test(n.state));
    const free = usable.reduce((a, n) => a + Math.max(0, n.gpusTotal - n.gpusUsed), 0);
    return { fits: part.availability === 'up' && usable.length > 0, reason: `Slurm partition ${partition}: ${free} GPU(s) free now; Slurm queues the job until its GPUs are free`, neededMiB: est?.highMiB ?? null, freeMiB: null };
  }

  return {
    repo,
    state,
    changed,
    enqueue(p: { taskId: string; lane: LaneId; gpuCount?: number; gpuUuids?: string[]; position?: number; slurm?: QueueItem['slurm'] }): QueueItem {
      const task = deps.tasks.mustGet(p.taskId);
      const home = laneGpu(p.lane);
      const extra = [...new Set((p.gpuUuids ?? []).filter((u) => u !== home))];
      const gpuCount = Math.max(p.gpuCount ?? 1, extra.length + (home ? 1 : 0), 1);
      checkLane(p.lane, extra, gpuCount);
      refuseUnrunnable(task, gpuCount, p.lane);
      const slurm = laneSlurmPartition(p.lane) ? (p.slurm ?? null) : null;
      const item = insertQueued({ taskId: task.id, lane: p.lane, gpuCount, gpuUuids: extra, slurm }, p.position);
      changed();
      return repo.get(item.id)!;
    },
    move(itemId: string, lane: LaneId, position: number): BoardState {
      const it = mustItem(itemId);
      if (it.state !== 'queued') throw new RpcError('conflict', 'Only waiting items can move; this one has started.');
      checkLane(lane, it.gpuUuids.filter((u) => u !== laneGpu(lane)), it.gpuCount);
      repo.transaction(() => placeAt(it, lane, position))();
      return changed();
    },
    async cancel(itemId: string): Promise<BoardState> {
      const it = mustItem(itemId);
      if (it.state === 'running' && it.runId) {
        // Cancelling a started item stops its run (gracefully); the item leaves the board.
        await deps.runs.stop(it.runId).catch((e: unknown) => {
          throw new RpcError('conflict', `Could not stop the run: ${e instanceof Error ? e.message : String(e)}`);
        });
      }
      repo.setState(it.id, 'cancelled', it.runId, it.noteSaid ?? it.note, it.needMiB ?? null);
      return changed();
    },
    runNext(itemId: string): BoardState {
      const it = mustItem(itemId);
      if (it.state !== 'queued') throw new RpcError('conflict', 'This item has already started.');
      repo.transaction(() => placeAt(it, it.lane, 0))();
      return changed();
    },
    /** Queues the task of a finished/failed run again, at the front of the lane it ran from. */
    retry(runId: string): BoardState {
      const run = deps.runs.get(runId);
      const prev = repo.byRun(runId);
      const taskId = prev?.taskId ?? run?.taskId;
      if (!taskId) throw new RpcError('not_found', `Run ${runId} did not come from a task on the board.`);
      if (isRunActive(run)) throw new RpcError('conflict', 'The run is still active.');
      const task = deps.tasks.mustGet(taskId);
      const lane: LaneId = prev?.lane ?? 'auto';
      refuseUnrunnable(task, prev?.gpuCount ?? 1, lane);
      insertQueued({ taskId, lane, gpuCount: prev?.gpuCount ?? 1, gpuUuids: prev?.gpuUuids ?? [], slurm: prev?.slurm ?? null }, 0);
      return changed();
    },
    /** A fresh queued copy of an item at the front of its lane (after an early OOM), keeping what was learned. */
    requeueFront(prev: QueueItem, note: Message): QueueItem {
      // It keeps its age, so across lanes it is as old as the item it replaces.
      const item: QueueItem = { ...prev, id: newId('q'), position: 0, state: 'queued', note: note.text, noteSaid: note, runId: null };
      repo.transaction(() => {
        repo.insert(item);
        placeAt(item, prev.lane, 0);
      })();
      return repo.get(item.id)!;
    },
    pauseLane(lane: LaneId, paused: boolean): BoardState {
      repo.setPaused(lane, paused);
      return changed();
    },
    /** Does this task fit this lane's GPU(s) right now: the estimate plus the margin against live free memory and promises. */
    fit(p: { taskId: string; lane: LaneId; gpuUuids?: string[] }, running: PlanRunning[]): FitCheck {
      const task = deps.tasks.mustGet(p.taskId);
      const partition = laneSlurmPartition(p.lane);
      if (partition) return slurmFit(task, partition);
      const snap = deps.gpus.snapshot();
      const margin = ctx.settings().safetyMarginMiB;
      const home = laneGpu(p.lane);
      const uuids = [...new Set([...(home ? [home] : []), ...(p.gpuUuids ?? [])])];
      const est = deps.tasks.estimateFor(task.id, Math.max(1, uuids.length));
      const need = est ? est.highMiB : null;
      const rooms = gpuRooms(planGpus(snap), running, margin);
      if (!task.ok) return configFirst(task, need);
      const targets = uuids.length ? uuids : [...rooms.keys()];
      const checks = targets.map((u) => {
        const room = rooms.get(u);
        if (room) return { u, room, ...roomFor(room, need, margin, ctx.settings().maxRunsPerGpu) };
        const said = msg('scheduler.fit.notHere', { uuid: u });
        return { u, room: null, ok: false, reason: said.text, said };
      });
      const freeOf = (c: (typeof checks)[number]) => (c.room?.availMiB != null ? Math.max(0, c.room.availMiB) : null);
      if (uuids.length === 0) {
        // The auto lane: fits if any card has room now.
        const ok = checks.filter((c) => c.ok);
        const pick = ok.sort((a, b) => (freeOf(a) ?? Infinity) - (freeOf(b) ?? Infinity))[0];
        const best = pick ?? checks[0];
        const said = pick
          ? msg('scheduler.fit.autoFits', { index: pick.room!.gpu.index, reason: pick.said })
          : msg('scheduler.fit.autoNone', { reason: best?.said ?? msg('scheduler.fit.noGpus') });
        return {
          fits: !!pick,
          reason: said.text,
          said,
          neededMiB: need,
          freeMiB: best ? freeOf(best) : null,
        };
      }
      const bad = checks.find((c) => !c.ok);
      const free = checks.map(freeOf).filter((v): v is number => v !== null);
      const said = bad ? bad.said : checks.length === 1 ? checks[0]!.said : msg('scheduler.fit.allFit', { n: checks.length });
      return {
        fits: !bad,
        reason: said.text,
        said,
        neededMiB: need,
        freeMiB: free.length ? Math.min(...free) : null,
      };
    },
  };
}

export type Board = ReturnType<typeof createBoard>;
