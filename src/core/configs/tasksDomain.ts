/** Tasks and board domain (first version: lists stored tasks; import, validation and lanes land with the board issue). */
import type { taskMethods, taskTopics } from '../../shared/contract/tasks.js';
import { RpcError } from '../../shared/rpc/protocol.js';
import type { CoreContext } from '../context.js';
import type { Domain } from '../domain.js';
import type { GpuMonitor } from '../gpu/gpuDomain.js';
import type { RunSupervisor } from '../runs/supervisorApi.js';

const notYet = (): never => {
  throw new RpcError('unavailable', 'Not available yet.');
};

export function createTasksDomain(
  ctx: CoreContext,
  deps: { gpus: GpuMonitor; runs: RunSupervisor },
): Domain<typeof taskMethods, typeof taskTopics> {
  void deps;
  return {
    handlers: {
      'tasks.list': () => [],
      'tasks.import': notYet,
      'tasks.update': notYet,
      'tasks.setValue': notYet,
      'tasks.clone': notYet,
      'tasks.sweep': notYet,
      'tasks.remove': notYet,
      'tasks.validateText': notYet,
      'tasks.loadExamples': notYet,
      'board.get': () => ({ lanes: [], queue: [] }),
      'board.enqueue': notYet,
      'board.move': notYet,
      'board.cancel': notYet,
      'board.runNext': notYet,
      'board.retry': notYet,
      'board.pauseLane': notYet,
      'board.fit': notYet,
    },
    subscriptions: {
      'tasks.changed': (_p, send) => ctx.bus.on('tasks.changed', send),
      'board.changed': (_p, send) => ctx.bus.on('board.changed', send),
    },
  };
}
