/** The engine's control socket `<dataDir>/engine.sock` (0600): the same contract and handlers as the UI, for `trainyard run/ps/stop/logs`. */
import { chmodSync, lstatSync, unlinkSync } from 'node:fs';
import { connect, createServer, type Server } from 'node:net';
import { join } from 'node:path';
import { methods, topics } from '../../shared/contract/index.js';
import { serveRpc } from '../../shared/rpc/server.js';
import type { Transport } from '../../shared/rpc/transport.js';
import type { Core } from '../createCore.js';
import { lineTransport } from './lineTransport.js';
import { logger } from '../log/logger.js';

const log = logger('control');

export const controlSocketPath = (dataDir: string) => join(dataDir, 'engine.sock');

/** Unix socket paths are limited to ~107 bytes (sun_path). */
const MAX_SOCKET_PATH = 107;

/** A connection to the engine that owns this data folder, or null when none listens there (no file, or a stale one). */
export function connectControlSocket(dataDir: string, timeoutMs = 5000): Promise<Transport | null> {
  const path = controlSocketPath(dataDir);
  return new Promise((resolve) => {
    const socket = connect(path);
    const timer = setTimeout(() => {
      socket.destroy();
      resolve(null);
    }, timeoutMs);
    socket.once('connect', () => {
      clearTimeout(timer);
      resolve(lineTransport(socket));
    });
    socket.once('error', () => {
      clearTimeout(timer);
      resolve(null);
    });
  });
}

/**
 * Listens on `<dataDir>/engine.sock`. Who may connect is decided by the file system: the socket is 0600 inside the
 * data folder (0700), so only its owner reaches it — the same person the engine already runs trainers as. The engine
 * lock (store/engineLock.ts) guarantees one engine per data folder, so a socket file found here is a dead engine's.
 */
export async function openControlSocket(core: Pick<Core, 'handlers' | 'subscriptions'>, dataDir: string): Promise<{ path: string; close(): Promise<void> }> {
  const path = controlSocketPath(dataDir);
  if (Buffer.byteLength(path) > MAX_SOCKET_PATH) throw new Error(`The data folder's path is too long for a control socket (${path}).`);
  try {
    if (lstatSync(path).isSocket()) unlinkSync(path);
    else throw new Error(`${path} exists and is not a socket; move it away so the engine can listen there.`);
  } catch (e) {
    if ((e as NodeJS.ErrnoException).code !== 'ENOENT') throw e;
  }
  let n = 0;
  const server: Server = createServer((socket) => {
    const stop = serveRpc(lineTransport(socket), {
      methods,
      topics,
      handlers: core.handlers,
      subscriptions: core.subscriptions,
      connectionId: `control-${++n}-${Date.now()}`,
      onInternalError: (m, e) => log.error(`${m} failed`, e),
    });
    socket.on('close', stop);
  });
  await new Promise<void>((resolve, reject) => {
    server.once('error', reject);
    server.listen(path, () => {
      server.off('error', reject);
      resolve();
    });
  });
  chmodSync(path, 0o600);
  return {
    path,
    close: () =>
      new Promise<void>((resolve) => {
        server.close(() => resolve());
        try {
          unlinkSync(path);
        } catch {
          /* already gone */
        }
      }),
  };
}
