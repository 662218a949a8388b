/** The serve host's routes and the one guard in front of all of them: every request and upgrade passes Host/Origin and, unless the route is public, the token. */
import type { IncomingMessage, ServerResponse } from 'node:http';
import { sendRefused } from './pages.js';
import { checkOrigin, checkToken, presentedToken, type Refusal, type Tickets } from './security.js';
import { securityHeaders } from './staticFiles.js';

/**
 * - public: the app shell (HTML, scripts, styles, icons). It holds no secret, and the browser must load it before the
 *   page can read the token from the URL fragment; Host and Origin are still checked.
 * - token: the token as `Authorization: Bearer` (or the WebSocket token subprotocol).
 * - ticket: the token, or a signed short-lived ticket for exactly this path (downloads by navigation).
 */
export type Access = 'public' | 'token' | 'ticket';

export interface RouteRequest {
  req: IncomingMessage;
  res: ServerResponse;
  url: URL;
  match: RegExpExecArray;
}

export interface Route {
  name: string;
  pattern: RegExp;
  access: Access;
  /** A path this route answers: the security tests walk every route with it (taken from here, not from a list of their own). */
  example: string;
  /** WebSocket upgrades are answered by the upgrade handler; a plain GET there gets 426. */
  upgrade?: boolean;
  handle(r: RouteRequest): void;
}

export interface Router {
  routes: readonly Route[];
  /** Finds the route and applies the guard: the route and its match when the request may pass, else the refusal. */
  admit(req: IncomingMessage, url: URL, opts?: { upgrade?: boolean }): { route: Route; match: RegExpExecArray } | { refusal: NonNullable<Refusal> };
  handle(req: IncomingMessage, res: ServerResponse): void;
}

/** Parses the request target as a path of this server: `//host/x` or `/\host` never become another origin. */
export function requestUrl(req: IncomingMessage): URL {
  const target = req.url ?? '/';
  // new URL('//evil/x', base) would take "evil" as the host: anchor the path to our own placeholder origin instead.
  const url = new URL('http://engine.invalid');
  const q = target.indexOf('?');
  url.pathname = (q === -1 ? target : target.slice(0, q)).replace(/\\/g, '/').replace(/\/{2,}/g, '/');
  if (q !== -1) url.search = target.slice(q);
  return url;
}

export function sendRefusal(res: ServerResponse, url: URL, refusal: NonNullable<Refusal>): void {
  if (url.pathname.startsWith('/api/')) {
    res.writeHead(refusal.status, { ...securityHeaders(), 'Content-Type': 'application/json', 'Cache-Control': 'no-store' }).end(JSON.stringify({ error: refusal.reason }));
  } else sendRefused(res, refusal.status, refusal.reason);
}

export function createRouter(routes: Route[], token: () => string, hosts: () => Set<string>, tickets: Tickets): Router {
  const admit: Router['admit'] = (req, url, opts = {}) => {
    const origin = checkOrigin(req, hosts());
    if (origin) return { refusal: origin };
    for (const route of routes) {
      const match = route.pattern.exec(url.pathname);
      if (!match) continue;
      const refusal =
        route.access === 'public' || (route.access === 'ticket' && !req.headers.authorization && tickets.valid(url))
          ? null
          : checkToken(presentedToken(req), token());
      if (refusal) return { refusal };
      // Only WebSocket routes take an upgrade (checked after the token: no route map for those without one).
      if (opts.upgrade && !route.upgrade) return { refusal: { status: 404, reason: 'Not found.' } };
      return { route, match };
    }
    // Unknown paths still need the token, so probing without one learns nothing about which routes exist.
    return { refusal: checkToken(presentedToken(req), token()) ?? { status: 404, reason: 'Not found.' } };
  };

  return {
    routes,
    admit,
    handle(req, res) {
      const url = requestUrl(req);
      if (req.method !== 'GET' && req.method !== 'HEAD') {
        // Everything that changes state goes over the contract (WebSocket), never plain HTTP: no CSRF surface.
        res.writeHead(405, { ...securityHeaders(), Allow: 'GET, HEAD' }).end();
        return;
      }
      const admitted = admit(req, url);
      if ('refusal' in admitted) return sendRefusal(res, url, admitted.refusal);
      if (admitted.route.upgrade) {
        res.writeHead(426, { ...securityHeaders(), Upgrade: 'websocket' }).end('This endpoint speaks WebSocket.');
        return;
      }
      admitted.route.handle({ req, res, url, match: admitted.match });
    },
  };
}
