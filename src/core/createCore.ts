/** Composition root: opens the store, builds every domain, wires them together, and exposes the contract's handlers. */
import { join } from 'node:path';
import type { Methods, Topics } from '../shared/contract/index.js';
import type { Handlers, Subscriptions } from '../shared/rpc/server.js';
import type { Settings } from '../shared/types/settings.js';
import { EventBus } from './bus.js';
import { createCompareDomain } from './compare/compareDomain.js';
import { createTasksDomain } from './configs/tasksDomain.js';
import type { CoreContext } from './context.js';
import { createGpuDomain } from './gpu/gpuDomain.js';
import { createChatDomain } from './inference/chatDomain.js';
import { startRunWebhook } from './notify/webhook.js';
import { dataPaths } from './paths.js';
import { useHolderLaunch } from './runs/holderProcess.js';
import { trackPeakMemory } from './runs/peakMemory.js';
import { createRunsDomain, type RunsDomainOptions } from './runs/runsDomain.js';
import { installHolderRuntime, installResources, pruneHolderRuntimes } from './runtimeInstall.js';
import type { RuntimePaths } from './runtimePaths.js';
import { createSystemDomain } from './services/systemDomain.js';
import { createSlurmDomain, type SlurmDomainOptions } from './slurm/slurmDomain.js';
import { federate } from './remotes/federation.js';
import { createRemotesDomain, type RemotesDomainOptions } from './remotes/remotesDomain.js';
import { openDb } from './store/db.js';
import { acquireEngineLock } from './store/engineLock.js';
import { createSettingsRepo } from './store/settingsRepo.js';
import { logger, logTo } from './log/logger.js';
import { createRunsRepo } from './store/runsRepo.js';

const log = logger('runtime');

export interface CoreOptions {
  dataDir: string;
  host: 'electron' | 'serve';
  /** Where this installation's files are, built by the host (src/main, src/cli). Engines built inside the source tree without a host (unit tests) may leave it out. */
  runtime: RuntimePaths;
  env?: NodeJS.ProcessEnv;
  /** Test and embedding hooks of the runs domain (e.g. another trainer command). */
  runs?: RunsDomainOptions;
  /** Test hooks of the Slurm domain (poll intervals, stop grace). */
  slurm?: SlurmDomainOptions;
  /** Test hooks of remote engines (retry and ping intervals). */
  remotes?: RemotesDomainOptions;
}

export interface Core {
  ctx: CoreContext;
  handlers: Handlers<Methods>;
  subscriptions: Subscriptions<Topics>;
  start(): Promise<void>;
  stop(): Promise<void>;
}

export function createCore(opts: CoreOptions): Core {
  const paths = dataPaths(opts.dataDir);
  // Everything the engine notices from here on lands in <data>/engine.log too ("Copy diagnostics" attaches its tail).
  logTo(join(paths.dataDir, 'engine.log'));
  const runtime = opts.runtime;
  const releaseLock = acquireEngineLock(join(paths.dataDir, 'engine.lock'), opts.host);
  let db: ReturnType<typeof openDb>;
  try {
    db = openDb(paths.dbFile, { nativeBinding: runtime.sqliteBinding });
  } catch (e) {
    releaseLock();
    throw e;
  }
  // Holders run from this version's copy in the data folder, never from the app's own folder (docs/RUNS.md).
  const holder = installHolderRuntime(runtime, paths.dataDir);
  if (holder.problem) log.error(`runs cannot start: ${holder.problem}`);
  pruneHolderRuntimes(paths.dataDir, holder.dir);
  const releaseHolder = useHolderLaunch(paths.runsDir, holder);
  let settings: Settings = createSettingsRepo(db).load();
  const ctx: CoreContext = {
    db,
    paths,
    bus: new EventBus(),
    host: opts.host,
    // The copy in the data folder: example tasks and demo runs keep working after the app moves (docs/RUNS.md).
    resourcesDir: installResources(runtime.resourcesDir, paths.dataDir),
    runtime,
    settings: () => settings,
    env: opts.env ?? process.env,
  };

  const gpus = createGpuDomain(ctx);
  const system = createSystemDomain(ctx, (s) => (settings = s), () => gpus.monitor.snapshot());
  const runs = createRunsDomain(ctx, opts.runs);
  const slurm = createSlurmDomain(ctx, { runs: runs.supervisor }, opts.slurm);
  // GPU processes are attributed to runs by walking the process tree up to a trainer the supervisor owns.
  gpus.monitor.setPidResolver((pid) => runs.supervisor.runIdForPid(pid));
  const tasks = createTasksDomain(ctx, { gpus: gpus.monitor, runs: runs.supervisor, slurm: slurm.lanes });
  // Nothing running or waiting (and no page open): the GPU monitor idles (no process queries, a slow stream).
  gpus.monitor.setDemand(() => runs.supervisor.active().length > 0 || tasks.hasQueued());
  // A run that starts or ends changes what is on the cards: look at the processes now, not at the next heartbeat.
  // (Progress updates come twice a second per run: only a change of status counts.)
  const lastStatus = new Map<string, string>();
  runs.supervisor.onChange((r) => {
    if (lastStatus.get(r.id) === r.status) return;
    lastStatus.set(r.id, r.status);
    gpus.monitor.wake();
  });
  const chat = createChatDomain(ctx, { runs: runs.supervisor, gpus: gpus.monitor });
  // Spot-check evaluations ask the chat domain for (or reuse) an inference server of the run.
  const compare = createCompareDomain(ctx, { runs: runs.supervisor, gpus: gpus.monitor, inference: chat.servers, votes: chat.votes });
  const remotes = createRemotesDomain(ctx, opts.remotes);
  const domains = [system, gpus, runs, slurm, tasks, compare, chat, remotes];

  // Typed as the full contract: a method without a handler is a compile error here.
  const own: Handlers<Methods> = {
    ...system.handlers,
    ...gpus.handlers,
    ...runs.handlers,
    ...tasks.handlers,
    ...compare.handlers,
    ...chat.handlers,
    ...slurm.handlers,
    ...remotes.handlers,
  };
  const ownSubs: Subscriptions<Topics> = {
    ...system.subscriptions,
    ...gpus.subscriptions,
    ...runs.subscriptions,
    ...tasks.subscriptions,
    ...compare.subscriptions,
    ...chat.subscriptions,
    ...slurm.subscriptions,
    ...remotes.subscriptions,
  };
  // `<box>/…` lanes, items and runs go to their remote engine (docs/CLUSTERS.md#remote-engines).
  const { handlers, subscriptions } = federate(own, ownSubs, remotes.remotes);

  let stopWebhook: (() => void) | null = null;
  let stopPeaks: (() => void) | null = null;
  return {
    ctx,
    handlers,
    subscriptions,
    async start() {
      stopWebhook = startRunWebhook(ctx);
      stopPeaks = trackPeakMemory(createRunsRepo(db), (l) => gpus.monitor.onSnapshot(l));
      for (const d of domains) await d.start?.();
    },
    async stop() {
      stopWebhook?.();
      stopPeaks?.();
      for (const d of [...domains].reverse()) await d.stop?.();
      db.close();
      releaseHolder();
      releaseLock();
    },
  };
}
