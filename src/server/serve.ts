/** The headless host: one HTTP server on 127.0.0.1 serving the built renderer, a few HTTP API routes, and the contract over WebSocket. */
import { createReadStream, existsSync } from 'node:fs';
import { pipeline } from 'node:stream';
import { createServer, type IncomingMessage, type ServerResponse } from 'node:http';
import type { AddressInfo } from 'node:net';
import type { Duplex } from 'node:stream';
import { join } from 'node:path';
import { WebSocketServer } from 'ws';
import { methods, topics } from '../shared/contract/index.js';
import { serveRpc } from '../shared/rpc/server.js';
import { createCore, type Core } from '../core/createCore.js';
import { sendPage, sendRefused } from './pages.js';
import { allowedHosts, checkRequest, newToken, tokenCookieName } from './security.js';
import { resolveStatic, securityHeaders, sendFile } from './staticFiles.js';
import { wsTransport } from './wsTransport.js';

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
  resourcesDir?: string;
}

export interface RunningServer {
  url: string;
  port: number;
  token: string;
  core: Core;
  close(): Promise<void>;
}

export async function startServer(opts: ServeOptions): Promise<RunningServer> {
  const token = opts.token ?? newToken();
  const core = createCore({ dataDir: opts.dataDir, host: 'serve', env: opts.env, resourcesDir: opts.resourcesDir });
  await core.start();
  let hosts = new Set<string>();
  let cookie = tokenCookieName(0);
  let connections = 0;

  const server = createServer((req, res) => {
    try {
      handleHttp(req, res);
    } catch (e) {
      res.writeHead(500, securityHeaders()).end(`Internal error: ${e instanceof Error ? e.message : String(e)}`);
    }
  });

  const handleHttp = (req: IncomingMessage, res: ServerResponse) => {
    const url = new URL(req.url ?? '/', 'http://placeholder');
    if (req.method !== 'GET' && req.method !== 'HEAD') {
      res.writeHead(405, securityHeaders()).end();
      return;
    }
    // Static assets carry no secrets, but the page and the API need the token; Host is checked for all of them.
    const isAsset = url.pathname.startsWith('/assets/') || url.pathname === '/favicon.svg';
    const refusal = checkRequest(req, url, token, hosts, { requireToken: !isAsset, cookie });
    if (refusal) {
      if (url.pathname.startsWith('/api/')) res.writeHead(refusal.status, { ...securityHeaders(), 'Content-Type': 'application/json' }).end(JSON.stringify({ error: refusal.reason }));
      else sendRefused(res, refusal.status, refusal.reason);
      return;
    }
    if (url.searchParams.has('token') && !url.pathname.startsWith('/api/')) {
      // Jupyter-style: trade the URL token for an HttpOnly cookie and drop it from the address bar and history.
      url.searchParams.delete('token');
      res.writeHead(302, {
        ...securityHeaders(),
        'Set-Cookie': `${cookie}=${encodeURIComponent(token)}; HttpOnly; SameSite=Strict; Path=/`,
        Location: url.pathname + (url.search || ''),
      });
      res.end();
      return;
    }
    if (url.pathname === '/api/health') {
      res.writeHead(200, { ...securityHeaders(), 'Content-Type': 'application/json' }).end(JSON.stringify({ ok: true, connections }));
      return;
    }
    const logMatch = /^\/api\/runs\/([A-Za-z0-9_-]{1,100})\/log$/.exec(url.pathname);
    if (logMatch) {
      const run = core.ctx.db.prepare<{ run_dir: string; name: string }>('SELECT run_dir, name FROM runs WHERE id = ?').get(logMatch[1]);
      const file = run ? join(run.run_dir, 'console.log') : null;
      if (!run || !file || !existsSync(file)) {
        res.writeHead(404, securityHeaders()).end('No log for this run.');
        return;
      }
      res.writeHead(200, {
        ...securityHeaders(),
        'Content-Type': 'text/plain; charset=utf-8',
        'Content-Disposition': `attachment; filename="${run.name.replace(/[^A-Za-z0-9._-]/g, '_')}.log"`,
      });
      // pipeline closes the file when the client aborts and turns a read error into a closed response, not a crash.
      pipeline(createReadStream(file), res, () => {});
      return;
    }
    if (url.pathname.startsWith('/api/')) {
      res.writeHead(404, securityHeaders()).end();
      return;
    }
    const file = resolveStatic(opts.staticDir, url.pathname);
    if (!file) {
      if (!existsSync(join(opts.staticDir, 'index.html'))) {
        sendPage(res, 503, 'The UI is not built', `<p>Run <code>npm run build</code> in the Trainyard folder, then reload.</p>`);
      } else res.writeHead(404, securityHeaders()).end('Not found');
      return;
    }
    sendFile(res, file);
  };

  const wss = new WebSocketServer({ noServer: true, maxPayload: 32 * 1024 * 1024 });
  server.on('upgrade', (req, socket, head) => {
    try {
      upgrade(req, socket, head);
    } catch (e) {
      // Nothing a client sends before the handshake may take the engine down.
      console.error('[serve] upgrade failed:', e);
      socket.destroy();
    }
  });
  const upgrade = (req: IncomingMessage, socket: Duplex, head: Buffer) => {
    const url = new URL(req.url ?? '/', 'http://placeholder');
    const refusal = url.pathname === '/ws' ? checkRequest(req, url, token, hosts, { cookie }) : { status: 404, reason: 'Not found' };
    if (refusal) {
      socket.end(`HTTP/1.1 ${refusal.status} ${refusal.status === 401 ? 'Unauthorized' : refusal.status === 404 ? 'Not Found' : 'Forbidden'}\r\nConnection: close\r\nContent-Type: text/plain\r\n\r\n${refusal.reason}`);
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
        onInternalError: (m, e) => console.error(`[serve] ${m} failed:`, e),
      });
      ws.on('close', () => {
        connections--;
        stop();
      });
    });
  };

  const port = await listen(server, opts.port, opts.host, opts.portFallback ?? false);
  hosts = allowedHosts(opts.host, port);
  cookie = tokenCookieName(port);
  const shownHost = opts.host === '0.0.0.0' || opts.host === '::' ? '127.0.0.1' : opts.host.includes(':') ? `[${opts.host}]` : opts.host;
  return {
    url: `http://${shownHost}:${port}/?token=${token}`,
    port,
    token,
    core,
    async close() {
      for (const c of wss.clients) c.terminate();
      await new Promise<void>((r) => server.close(() => r()));
      server.closeAllConnections?.();
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
