/** Tasks and board domain: the contract's tasks.* and board.* handlers over the task service, the board and the scheduler loop. */
import type { taskMethods, taskTopics } from '../../shared/contract/tasks.js';
import type { LaneId } from '../../shared/types/task.js';
import type { CoreContext } from '../context.js';
import type { Domain } from '../domain.js';
import type { GpuMonitor } from '../gpu/gpuDomain.js';
import type { RunSupervisor } from '../runs/supervisorApi.js';
import { createBoard } from '../scheduler/board.js';
import { createScheduler, runningForPlan } from '../scheduler/scheduler.js';
import { createTaskService } from './taskService.js';

export function createTasksDomain(ctx: CoreContext, deps: { gpus: GpuMonitor; runs: RunSupervisor }): Domain<typeof taskMethods, typeof taskTopics> & {
  scheduler: ReturnType<typeof createScheduler>;
} {
  const tasks = createTaskService(ctx);
  const board = createBoard(ctx, { tasks, gpus: deps.gpus, runs: deps.runs });
  const scheduler = createScheduler(ctx, { board, tasks, gpus: deps.gpus, runs: deps.runs });
  const running = () => runningForPlan(deps.runs.active(), board.repo.active(), deps.gpus.snapshot());

  return {
    scheduler,
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
      'tasks.validateText': ({ yaml, name }) => tasks.validateText(yaml, name),
      'tasks.loadExamples': () => tasks.loadExamples(),
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
    },
    stop() {
      scheduler.stop();
    },
  };
}
