/** The serve host's HTTP routes (health, download tickets, a run's files, the app shell) and the WebSocket endpoint; the router's guard sits in front of each. */
import { existsSync } from 'node:fs';
import { join } from 'node:path';
import type { Core } from '../core/createCore.js';
import { sendPage } from './pages.js';
import type { Route, RouteRequest } from './router.js';
import { runDownloadRoutes } from './runDownloads.js';
import type { Tickets } from './security.js';
import { resolveStatic, securityHeaders, sendFile } from './staticFiles.js';

export interface RouteDeps {
  core: Core;
  staticDir: string;
  tickets: Tickets;
  connections(): number;
}

const json = ({ res }: RouteRequest, status: number, body: unknown) =>
  res.writeHead(status, { ...securityHeaders(), 'Content-Type': 'application/json', 'Cache-Control': 'no-store' }).end(JSON.stringify(body));

export function serveRoutes(deps: RouteDeps): Route[] {
  // Every download the browser fetches by navigation; /api/ticket signs a URL only for one of these.
  const ticketable = runDownloadRoutes(deps.core);
  return [
    {
      name: 'health',
      pattern: /^\/api\/health$/,
      access: 'token',
      example: '/api/health',
      handle: (r) => json(r, 200, { ok: true, version: deps.core.ctx.runtime?.version ?? null, connections: deps.connections() }),
    },
    {
      name: 'download ticket',
      pattern: /^\/api\/ticket$/,
      access: 'token',
      example: '/api/ticket?path=/api/runs/run_example/log',
      handle(r) {
        const path = r.url.searchParams.get('path') ?? '';
        if (!ticketable.some((t) => t.pattern.test(path))) return json(r, 400, { error: 'No download at that path.' });
        json(r, 200, { url: deps.tickets.issue(path) });
      },
    },
    ...ticketable,
    { name: 'contract over WebSocket', pattern: /^\/ws$/, access: 'token', upgrade: true, example: '/ws', handle: () => undefined },
    {
      name: 'app shell',
      pattern: /^\/(?!api(?:\/|$)|ws$)/,
      access: 'public',
      example: '/index.html',
      handle({ req, res, url }) {
        const file = resolveStatic(deps.staticDir, url.pathname);
        if (file) return sendFile(res, file, req.headers['accept-encoding']);
        if (!existsSync(join(deps.staticDir, 'index.html'))) {
          sendPage(res, 503, 'The UI is not built', `<p>Run <code>npm run build</code> in the Trainyard folder, then reload.</p>`);
        } else res.writeHead(404, securityHeaders()).end('Not found');
      },
    },
  ];
}
