/** Composition root: opens the store, builds every domain, wires them together, and exposes the contract's handlers. */
import { existsSync } from 'node:fs';
import { dirname, join, resolve } from 'node:path';
import { fileURLToPath } from 'node:url';
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
import { trackPeakMemory } from './runs/peakMemory.js';
import { createRunsDomain, type RunsDomainOptions } from './runs/runsDomain.js';
import { createSystemDomain } from './services/systemDomain.js';
import { openDb } from './store/db.js';
import { acquireEngineLock } from './store/engineLock.js';
import { loadSettings } from './store/settingsRepo.js';

export interface CoreOptions {
  dataDir: string;
  host: 'electron' | 'serve';
  resourcesDir?: string;
  env?: NodeJS.ProcessEnv;
  /** Test and embedding hooks of the runs domain (e.g. another trainer command). */
  runs?: RunsDomainOptions;
}

export interface Core {
  ctx: CoreContext;
  handlers: Handlers<Methods>;
  subscriptions: Subscriptions<Topics>;
  start(): Promise<void>;
  stop(): Promise<void>;
}

/** resources/ beside the source tree or the built output (out/…/ → ../../resources). */
export function findResourcesDir(): string {
  const here = dirname(fileURLToPath(import.meta.url));
  for (const up of ['../../resources', '../../../resources', '../resources', '../../../../resources']) {
    const dir = resolve(here, up);
    if (existsSync(join(dir, 'trainers')) || existsSync(join(dir, 'examples'))) return dir;
  }
  return resolve(here, '../../resources');
}

export function createCore(opts: CoreOptions): Core {
  const paths = dataPaths(opts.dataDir);
  const releaseLock = acquireEngineLock(join(paths.dataDir, 'engine.lock'), opts.host);
  let db: ReturnType<typeof openDb>;
  try {
    db = openDb(paths.dbFile);
  } catch (e) {
    releaseLock();
    throw e;
  }
  let settings: Settings = loadSettings(db);
  const ctx: CoreContext = {
    db,
    paths,
    bus: new EventBus(),
    host: opts.host,
    resourcesDir: opts.resourcesDir ?? findResourcesDir(),
    settings: () => settings,
    env: opts.env ?? process.env,
  };

  const system = createSystemDomain(ctx, (s) => (settings = s));
  const gpus = createGpuDomain(ctx);
  const runs = createRunsDomain(ctx, opts.runs);
  // GPU processes are attributed to runs by walking the process tree up to a trainer the supervisor owns.
  gpus.monitor.setPidResolver((pid) => runs.supervisor.runIdForPid(pid));
  const tasks = createTasksDomain(ctx, { gpus: gpus.monitor, runs: runs.supervisor });
  const chat = createChatDomain(ctx, { runs: runs.supervisor, gpus: gpus.monitor });
  // Spot-check evaluations ask the chat domain for (or reuse) an inference server of the run.
  const compare = createCompareDomain(ctx, { runs: runs.supervisor, gpus: gpus.monitor, inference: chat.servers });
  const domains = [system, gpus, runs, tasks, compare, chat];

  // Typed as the full contract: a method without a handler is a compile error here.
  const handlers: Handlers<Methods> = {
    ...system.handlers,
    ...gpus.handlers,
    ...runs.handlers,
    ...tasks.handlers,
    ...compare.handlers,
    ...chat.handlers,
  };
  const subscriptions: Subscriptions<Topics> = {
    ...system.subscriptions,
    ...gpus.subscriptions,
    ...runs.subscriptions,
    ...tasks.subscriptions,
    ...compare.subscriptions,
    ...chat.subscriptions,
  };

  let stopWebhook: (() => void) | null = null;
  let stopPeaks: (() => void) | null = null;
  return {
    ctx,
    handlers,
    subscriptions,
    async start() {
      stopWebhook = startRunWebhook(ctx);
      stopPeaks = trackPeakMemory(db, (l) => gpus.monitor.onSnapshot(l));
      for (const d of domains) await d.start?.();
    },
    async stop() {
      stopWebhook?.();
      stopPeaks?.();
      for (const d of [...domains].reverse()) await d.stop?.();
      db.close();
      releaseLock();
    },
  };
}
