/** The headless host: one HTTP server on 127.0.0.1 serving the built renderer, a few HTTP API routes, and the contract over WebSocket — every one of them behind the router's guard. */
import { createServer, type IncomingMessage } from 'node:http';
import type { AddressInfo } from 'node:net';
import type { Duplex } from 'node:stream';
import { WebSocketServer } from 'ws';
import { methods, topics } from '../shared/contract/index.js';
import { serveRpc } from '../shared/rpc/server.js';
import { createCore, type Core } from '../core/createCore.js';
import type { RuntimePaths } from '../core/runtimePaths.js';
import { openControlSocket } from '../core/control/controlSocket.js';
import { createRouter, requestUrl, type Router } from './router.js';
import { serveRoutes } from './routes.js';
import { allowedHosts, createTickets, newToken, WS_PROTOCOL } from './security.js';
import { securityHeaders } from './staticFiles.js';
import { MAX_FRAME_BYTES, wsTransport } from './wsTransport.js';
import { logger } from '../core/log/logger.js';

const log = logger('serve');

export interface ServeOptions {
  port: number;
  /** 127.0.0.1 unless the user explicitly asked for another interface. */
  host: string;
  dataDir: string;
  staticDir: string;
  token?: string;
  /** Try the next free port when `port` is taken (only when the user did not ask for a specific port). */
  portFallback?: boolean;
  env?: NodeJS.ProcessEnv;
  /** This installation's files (src/cli/locations.ts builds it). */
  runtime: RuntimePaths;
}

export interface RunningServer {
  /** The URL to open: the token rides in the fragment, which browsers never send to any server. */
  url: string;
  port: number;
  token: string;
  core: Core;
  router: Router;
  close(): Promise<void>;
}

const REASONS: Record<number, string> = { 401: 'Unauthorized', 403: 'Forbidden', 404: 'Not Found' };

export async function startServer(opts: ServeOptions): Promise<RunningServer> {
  const token = opts.token ?? newToken();
  const core = createCore({ dataDir: opts.dataDir, host: 'serve', env: opts.env, runtime: opts.runtime });
  try {
    await core.start();
  } catch (e) {
    // An engine that cannot start releases its lock and its timers, so the process can exit with the message.
    await core.stop().catch(() => undefined);
    throw e;
  }
  // `trainyard run/ps/stop/logs` reach this engine through <dataDir>/engine.sock; an engine without it still serves the UI.
  const control = await openControlSocket(core, opts.dataDir).catch((e: unknown) => {
    log.error(`no control socket for the CLI: ${e instanceof Error ? e.message : String(e)}`);
    return null;
  });
  let hosts = new Set<string>();
  let connections = 0;
  const tickets = createTickets();
  const router = createRouter(serveRoutes({ core, staticDir: opts.staticDir, tickets, connections: () => connections }), () => token, () => hosts, tickets);

  const server = createServer((req, res) => {
    try {
      router.handle(req, res);
    } catch (e) {
      log.error('request failed', e);
      if (!res.headersSent) res.writeHead(500, securityHeaders()).end('Internal error.');
      else res.destroy();
    }
  });

  const wss = new WebSocketServer({
    noServer: true,
    // A frame over the limit is answered with a readable close reason by wsTransport, not a silent drop.
    maxPayload: MAX_FRAME_BYTES,
    // Answer with our protocol name only: echoing the token subprotocol would put the secret in the response.
    handleProtocols: (protocols) => (protocols.has(WS_PROTOCOL) ? WS_PROTOCOL : false),
  });
  server.on('upgrade', (req, socket, head) => {
    try {
      upgrade(req, socket, head);
    } catch (e) {
      // Nothing a client sends before the handshake may take the engine down.
      log.error('upgrade failed', e);
      socket.destroy();
    }
  });
  const upgrade = (req: IncomingMessage, socket: Duplex, head: Buffer) => {
    const admitted = router.admit(req, requestUrl(req), { upgrade: true });
    if ('refusal' in admitted) {
      const { status, reason } = admitted.refusal;
      socket.end(`HTTP/1.1 ${status} ${REASONS[status] ?? 'Refused'}\r\nConnection: close\r\nContent-Type: text/plain\r\n\r\n${reason}`);
      return;
    }
    wss.handleUpgrade(req, socket, head, (ws) => {
      connections++;
      const stop = serveRpc(wsTransport(ws), {
        methods,
        topics,
        handlers: core.handlers,
        subscriptions: core.subscriptions,
        connectionId: `ws-${connections}-${Date.now()}`,
        onInternalError: (m, e) => log.error(`${m} failed`, e),
      });
      ws.on('close', () => {
        connections--;
        stop();
      });
    });
  };

  let port: number;
  try {
    port = await listen(server, opts.port, opts.host, opts.portFallback ?? false);
  } catch (e) {
    await core.stop().catch(() => undefined);
    throw e;
  }
  hosts = allowedHosts(opts.host, port);
  const shownHost = opts.host === '0.0.0.0' || opts.host === '::' ? '127.0.0.1' : opts.host.includes(':') ? `[${opts.host}]` : opts.host;
  return {
    url: `http://${shownHost}:${port}/#token=${token}`,
    port,
    token,
    core,
    router,
    async close() {
      for (const c of wss.clients) c.terminate();
      // close() waits for every open connection; a download still streaming (or a browser's keep-alive) would hold
      // the engine's shutdown for as long as it lasts, so they are cut right after listening stops.
      const closed = new Promise<void>((r) => server.close(() => r()));
      server.closeAllConnections();
      await closed;
      await control?.close();
      await core.stop();
    },
  };
}

function listen(server: ReturnType<typeof createServer>, port: number, host: string, fallback: boolean): Promise<number> {
  return new Promise((resolve, reject) => {
    const onError = (e: NodeJS.ErrnoException) => {
      if (fallback && e.code === 'EADDRINUSE') {
        server.off('error', onError);
        server.listen(0, host, () => resolve((server.address() as AddressInfo).port));
        server.once('error', reject);
      } else reject(e.code === 'EADDRINUSE' ? new Error(`Port ${port} on ${host} is already in use. Pick another with --port.`) : e);
    };
    server.once('error', onError);
    server.listen(port, host, () => {
      server.off('error', onError);
      resolve((server.address() as AddressInfo).port);
    });
  });
}
