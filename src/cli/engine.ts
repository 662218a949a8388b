/** The engine a CLI command talks to: the running one (desktop or serve) through its control socket, else a one-shot engine in this process. */
import { resolve } from 'node:path';
import { connectControlSocket, openControlSocket } from '../core/control/controlSocket.js';
import { createCore } from '../core/createCore.js';
import { defaultDataDir } from '../core/paths.js';
import type { ApiClient } from '../shared/contract/index.js';
import { methods, topics } from '../shared/contract/index.js';
import { createRpcClient } from '../shared/rpc/client.js';
import { serveRpc } from '../shared/rpc/server.js';
import { memoryTransportPair } from '../shared/rpc/transport.js';
import type { CliIo } from './args.js';
import { cliRuntime } from './locations.js';

export interface Engine {
  api: ApiClient;
  /** True when this process started the engine (no desktop app or serve was running on the data folder). */
  oneShot: boolean;
  dataDir: string;
  close(): Promise<void>;
}

export function dataDirOf(flag: unknown, env: NodeJS.ProcessEnv): string {
  return typeof flag === 'string' ? resolve(flag) : defaultDataDir(env);
}

export async function openEngine(dataDir: string, io: CliIo): Promise<Engine> {
  const remote = await connectControlSocket(dataDir);
  if (remote) {
    const api: ApiClient = createRpcClient(remote);
    return { api, oneShot: false, dataDir, close: async () => api.close() };
  }
  // No engine listens: this process runs one (it takes the data folder's lock, adopts live runs, runs the scheduler).
  const env = { ...io.env };
  delete env.TRAINYARD_TOKEN;
  const core = createCore({ dataDir, host: 'serve', env, runtime: cliRuntime(io.env) });
  try {
    await core.start();
  } catch (e) {
    await core.stop().catch(() => undefined);
    throw e;
  }
  // Other `trainyard` commands meanwhile (ps, logs from another terminal) reach this one-shot engine too.
  const control = await openControlSocket(core, dataDir).catch(() => null);
  const [client, server] = memoryTransportPair();
  const stop = serveRpc(server, { methods, topics, handlers: core.handlers, subscriptions: core.subscriptions, connectionId: 'cli' });
  const api: ApiClient = createRpcClient(client);
  return {
    api,
    oneShot: true,
    dataDir,
    async close() {
      api.close();
      stop();
      await control?.close();
      await core.stop();
    },
  };
}

/** Runs `fn` against the engine and always lets go of it (a one-shot engine stops; its runs keep going). */
export async function withEngine<T>(dataDir: string, io: CliIo, fn: (e: Engine) => Promise<T>): Promise<T> {
  const engine = await openEngine(dataDir, io);
  try {
    return await fn(engine);
  } finally {
    await engine.close();
  }
}

export const sleep = (ms: number) => new Promise((r) => setTimeout(r, ms));
