/** Tasks and board domain: the contract's tasks.* and board.* handlers over the task service, the board and the scheduler loop. */
import type { taskMethods, taskTopics } from '../../shared/contract/tasks.js';
import type { LaneId } from '../../shared/types/task.js';
import type { CoreContext } from '../context.js';
import type { Domain } from '../domain.js';
import type { GpuMonitor } from '../gpu/gpuDomain.js';
import type { RunSupervisor } from '../runs/supervisorApi.js';
import { createBoard } from '../scheduler/board.js';
import { createScheduler, runningForPlan } from '../scheduler/scheduler.js';
import type { SlurmLanes } from '../slurm/slurmDomain.js';
import { createTaskService } from './taskService.js';

export function createTasksDomain(ctx: CoreContext, deps: { gpus: GpuMonitor; runs: RunSupervisor; slurm?: SlurmLanes }): Domain<typeof taskMethods, typeof taskTopics> & {
  scheduler: ReturnType<typeof createScheduler>;
  /** Whether anything waits in a lane (the GPU monitor keeps its live pace while something waits for a card). */
  hasQueued(): boolean;
} {
  const tasks = createTaskService(ctx);
  const board = createBoard(ctx, { tasks, gpus: deps.gpus, runs: deps.runs, slurm: deps.slurm });
  const scheduler = createScheduler(ctx, { board, tasks, gpus: deps.gpus, runs: deps.runs, slurm: deps.slurm });
  let offCluster: (() => void) | null = null;
  const running = () => runningForPlan(deps.runs.active(), board.repo.active(), deps.gpus.snapshot());

  return {
    scheduler,
    hasQueued: () => board.repo.active().some((i) => i.state === 'queued'),
    handlers: {
      'tasks.list': () => tasks.list(),
      'tasks.import': ({ paths, files }) => tasks.importPaths(paths ?? [], files ?? []),
      'tasks.update': ({ id, name, yaml }) => tasks.update(id, { ...(name !== undefined ? { name } : {}), ...(yaml !== undefined ? { yaml } : {}) }),
      'tasks.setValue': ({ id, key, value }) => tasks.setValue(id, key, value),
      'tasks.clone': ({ id, name, set }) => tasks.clone(id, name, set),
      'tasks.sweep': ({ id, grid }) => tasks.sweep(id, grid),
      'tasks.remove': ({ id }) => {
        tasks.remove(id);
        board.changed();
        return null;
      },
      'tasks.memoryFixes': ({ id, runId }) => {
        const gpus = deps.gpus.snapshot().gpus.filter((g) => g.vendor !== 'cpu');
        const run = runId ? deps.runs.get(runId) : null;
        const runCards = run ? gpus.filter((g) => run.gpuUuids.includes(g.uuid)) : [];
        const totals = (runCards.length ? runCards : gpus).map((g) => g.memoryTotalMiB).filter((m): m is number => m !== null);
        const cardMiB = totals.length ? (runCards.length ? Math.min(...totals) : Math.max(...totals)) : null;
        return tasks.memoryFixes(id, {
          gpuCount: runCards.length || 1,
          cardMiB,
          marginMiB: ctx.settings().safetyMarginMiB,
          ranOut: run?.failure?.kind === 'oom' && runCards.length > 0,
        });
      },
      'tasks.keys': () => tasks.keys(),
      'tasks.source': ({ id }) => tasks.source(id),
      'tasks.saveSource': ({ id, yaml, hash }) => tasks.saveSource(id, yaml, hash),
      'tasks.validateText': ({ yaml, name, id }) => tasks.validateText(yaml, name, id),
      'tasks.loadExamples': () => tasks.loadExamples(),
      'tasks.trainerInfo': () => tasks.trainerInfo(),
      'board.get': () => board.state(),
      'board.enqueue': (p) => board.enqueue(p as Parameters<typeof board.enqueue>[0]),
      'board.move': ({ itemId, lane, position }) => board.move(itemId, lane as LaneId, position),
      'board.cancel': ({ itemId }) => board.cancel(itemId),
      'board.runNext': ({ itemId }) => board.runNext(itemId),
      'board.retry': ({ runId }) => board.retry(runId),
      'board.pauseLane': ({ lane, paused }) => board.pauseLane(lane as LaneId, paused),
      'board.fit': (p) => board.fit(p as Parameters<typeof board.fit>[0], running()),
    },
    subscriptions: {
      'tasks.changed': (_p, send) => ctx.bus.on('tasks.changed', send),
      'board.changed': (_p, send) => ctx.bus.on('board.changed', send),
    },
    start() {
      scheduler.start();
      // Partitions come and go with the cluster: the board's lanes follow.
      offCluster = ctx.bus.on('slurm.cluster', () => board.changed());
    },
    stop() {
      offCluster?.();
      scheduler.stop();
    },
  };
}
