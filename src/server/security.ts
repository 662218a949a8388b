/** Who may talk to the engine: a random token (bearer header, WebSocket subprotocol or a signed download ticket), a Host allow-list (DNS rebinding) and an Origin check (cross-site WebSocket hijacking). */
import { createHmac, randomBytes, timingSafeEqual } from 'node:crypto';
import type { IncomingMessage } from 'node:http';
import { networkInterfaces } from 'node:os';
import { TOKEN_PATTERN, WS_TOKEN_PREFIX } from '../shared/auth.js';

export { TOKEN_PATTERN, WS_PROTOCOL, WS_TOKEN_PREFIX } from '../shared/auth.js';

/** A download ticket lives this long: long enough to click, too short to be worth stealing from a history entry. */
export const TICKET_TTL_MS = 60_000;

export function newToken(): string {
  return randomBytes(24).toString('hex');
}

export function tokensEqual(a: string, b: string): boolean {
  const x = Buffer.from(a);
  const y = Buffer.from(b);
  return x.length === y.length && timingSafeEqual(x, y);
}

/** Host names the engine answers to. Loopback names always; the --host value when one was given explicitly. */
export function allowedHosts(listenHost: string, port: number): Set<string> {
  const names = new Set(['127.0.0.1', 'localhost', '[::1]']);
  const bracket = (a: string) => (a.includes(':') ? `[${a}]` : a);
  if (listenHost === '0.0.0.0' || listenHost === '::') {
    // Listening on every interface (explicit --host): the machine's own addresses are the names it may be reached by.
    for (const list of Object.values(networkInterfaces())) for (const a of list ?? []) names.add(bracket(a.address));
  } else if (listenHost) names.add(bracket(listenHost));
  const hosts = new Set<string>();
  for (const n of names) hosts.add(`${n}:${port}`);
  return hosts;
}

/** The subprotocols of a WebSocket handshake, as the client listed them. */
export function requestedProtocols(req: IncomingMessage): string[] {
  const header = req.headers['sec-websocket-protocol'];
  return (Array.isArray(header) ? header.join(',') : (header ?? '')).split(',').map((p) => p.trim()).filter(Boolean);
}

/** The token a request presents: `Authorization: Bearer …`, or (WebSocket handshakes) the token subprotocol. */
export function presentedToken(req: IncomingMessage): string | null {
  const auth = req.headers.authorization;
  if (auth?.startsWith('Bearer ')) return auth.slice(7).trim();
  const proto = requestedProtocols(req).find((p) => p.startsWith(WS_TOKEN_PREFIX));
  return proto ? proto.slice(WS_TOKEN_PREFIX.length) : null;
}

export type Refusal = { status: 401 | 403 | 404 | 405; reason: string } | null;

/** Host always; Origin when the client sent one (browsers do for WebSockets, fetches and module scripts). */
export function checkOrigin(req: IncomingMessage, hosts: Set<string>): Refusal {
  const host = req.headers.host ?? '';
  if (!hosts.has(host)) return { status: 403, reason: `Host "${host}" is not allowed.` };
  const origin = req.headers.origin;
  if (origin === undefined) return null;
  if (origin === 'null') return { status: 403, reason: 'Opaque Origin is not allowed.' };
  let originHost: string;
  try {
    originHost = new URL(origin).host;
  } catch {
    return { status: 403, reason: 'Malformed Origin.' };
  }
  return hosts.has(originHost) ? null : { status: 403, reason: `Origin "${origin}" is not allowed.` };
}

export function checkToken(presented: string | null, token: string): Refusal {
  if (!presented) return { status: 401, reason: 'Token required.' };
  if (!TOKEN_PATTERN.test(presented) || !tokensEqual(presented, token)) return { status: 401, reason: 'Wrong token.' };
  return null;
}

/**
 * Short-lived signed URLs for downloads the browser must fetch by navigation (a log of gigabytes cannot go through
 * fetch + Blob). The key is random per engine start and independent of the token, so a ticket reveals nothing of it
 * and is good for one path only.
 */
export function createTickets(now: () => number = Date.now) {
  const key = randomBytes(32);
  const sign = (path: string, exp: number) => createHmac('sha256', key).update(`${path}\n${exp}`).digest('base64url');
  return {
    issue(path: string): string {
      const exp = now() + TICKET_TTL_MS;
      return `${path}?exp=${exp}&sig=${sign(path, exp)}`;
    },
    valid(url: URL): boolean {
      const exp = Number(url.searchParams.get('exp'));
      const sig = url.searchParams.get('sig') ?? '';
      if (!Number.isSafeInteger(exp) || exp < now() || exp > now() + TICKET_TTL_MS) return false;
      return tokensEqual(sig, sign(url.pathname, exp));
    },
  };
}
export type Tickets = ReturnType<typeof createTickets>;
