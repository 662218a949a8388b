/** Runs domain (first version: lists stored runs; the supervisor, terminal and metrics land with the runs issue). */
import type { runMethods, runTopics } from '../../shared/contract/runs.js';
import { RpcError } from '../../shared/rpc/protocol.js';
import type { Run } from '../../shared/types/run.js';
import type { CoreContext } from '../context.js';
import type { Domain } from '../domain.js';
import type { RunSupervisor } from './supervisorApi.js';

const notYet = (): never => {
  throw new RpcError('unavailable', 'Not available yet.');
};

export function createRunsDomain(ctx: CoreContext): Domain<typeof runMethods, typeof runTopics> & { supervisor: RunSupervisor } {
  const list = (): Run[] => [];
  void ctx;
  const supervisor: RunSupervisor = {
    launch: notYet,
    stop: notYet,
    get: () => null,
    list,
    active: () => [],
    onChange: () => () => {},
    runIdForPid: () => null,
  };
  return {
    supervisor,
    handlers: {
      'runs.list': () => list(),
      'runs.get': notYet,
      'runs.stop': notYet,
      'runs.restart': notYet,
      'runs.metrics': notYet,
      'runs.files': notYet,
      'runs.config': notYet,
      'runs.update': notYet,
      'runs.openFolder': notYet,
      'runs.searchLog': notYet,
      'terminal.input': notYet,
      'terminal.resize': notYet,
      'terminal.ack': notYet,
    },
    subscriptions: {
      'runs.changed': (_p, send) => ctx.bus.on('runs.changed', send),
      'runs.metrics': () => () => {},
      'terminal.data': () => () => {},
    },
  };
}
