/** Runs domain: the contract's runs.* and terminal.* methods and topics on top of the supervisor and the run service. */
import type { runMethods, runTopics } from '../../shared/contract/runs.js';
import type { CoreContext } from '../context.js';
import type { Domain } from '../domain.js';
import { runFiles } from './holderProcess.js';
import { searchLog } from './logFile.js';
import { Supervisor, type SupervisorOptions } from './supervisor.js';
import type { RunSupervisor } from './supervisorApi.js';
import { listCheckpoints } from './checkpoints.js';
import { createRunService } from './runService.js';
import { exportSpec } from './exportRun.js';
import { TensorBoards } from './tensorboard.js';
import { detectTrainers } from './trainerCommand.js';

export type RunsDomainOptions = SupervisorOptions;

export function createRunsDomain(
  ctx: CoreContext,
  opts: RunsDomainOptions = {},
): Domain<typeof runMethods, typeof runTopics> & { supervisor: RunSupervisor & Supervisor } {
  const supervisor = new Supervisor(ctx, opts);
  const runs = createRunService(supervisor);
  const need = runs.need;
  const viewerKey = (connectionId: string, sub: number) => `${connectionId}:${sub}`;
  // TensorBoard runs in the trainer's environment: the venv of llamafactory-cli, or the demo trainer's Python.
  const tensorboards = new TensorBoards(ctx.env, () => {
    const found = detectTrainers(ctx.settings(), ctx.env);
    return ctx.settings().trainer.kind === 'demo' ? found.demoPython : found.llamafactoryCli;
  });

  return {
    supervisor,
    start: () => supervisor.start(),
    stop: () => {
      tensorboards.stopAll();
      return supervisor.shutdown();
    },
    handlers: {
      'runs.list': ({ includeApi }) => supervisor.list().filter((r) => includeApi || r.kind !== 'api'),
      'runs.get': ({ id }) => need(id),
      'runs.stop': ({ id }) => supervisor.stop(id),
      'runs.restart': ({ id, resume }) => runs.restart(id, resume),
      'runs.metrics': ({ id, maxPoints }) => runs.metrics(id, maxPoints),
      'runs.checkpoints': ({ id }) => listCheckpoints(need(id).outputDir),
      'runs.tensorboard': ({ ids }) => tensorboards.start(ids.map(need)),
      'runs.tensorboards': () => tensorboards.list(),
      'runs.tensorboardStop': ({ id }) => {
        tensorboards.stop(id);
        return null;
      },
      'runs.export': ({ id, checkpoint, exportSize, exportDevice }) =>
        supervisor.launch(exportSpec(need(id), { ...(checkpoint ? { checkpoint } : {}), ...(exportSize ? { exportSize } : {}), ...(exportDevice ? { exportDevice } : {}) })),
      'runs.files': ({ id }) => runs.files(id),
      'runs.config': ({ id }) => runs.config(id),
      'runs.update': ({ id, notes, tags }) => runs.update(id, { notes, tags }),
      'runs.openFolder': ({ id }) => {
        const r = need(id);
        return { path: r.outputDir || r.runDir };
      },
      'runs.searchLog': ({ id, query, limit }) => searchLog(runFiles(need(id).runDir).console, query, limit ?? 200),
      'terminal.input': ({ id, data }) => {
        need(id);
        supervisor.input(id, data);
        return null;
      },
      'terminal.resize': ({ id, cols, rows }) => {
        need(id);
        supervisor.resize(id, cols, rows);
        return null;
      },
      'terminal.ack': ({ sub, bytes }, call) => {
        supervisor.hub.ack(viewerKey(call.connectionId, sub), bytes);
        return null;
      },
    },
    subscriptions: {
      'runs.changed': (_p, send) => ctx.bus.on('runs.changed', send),
      'runs.metrics': ({ id }, send) => ctx.bus.on('runs.metrics', (d) => d.runId === id && send(d)),
      'terminal.data': ({ id }, send, call) => {
        need(id);
        const key = viewerKey(call.connectionId, call.subscriptionId);
        supervisor.hub.add(key, id, send);
        return () => supervisor.hub.remove(key);
      },
    },
  };
}
