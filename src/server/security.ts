/** Who may talk to the engine: a random token (URL, cookie or bearer), a Host allow-list (DNS rebinding) and an Origin check (cross-site WebSocket hijacking). */
import { randomBytes, timingSafeEqual } from 'node:crypto';
import type { IncomingMessage } from 'node:http';
import { networkInterfaces } from 'node:os';

/**
 * Cookies are scoped by host, not port: one name per port keeps two engines on one machine from overwriting each
 * other's token (the cookie still reaches other local services on 127.0.0.1; it is HttpOnly and SameSite=Strict).
 */
export function tokenCookieName(port: number): string {
  return `trainyard_token_${port}`;
}

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

export function parseCookies(header: string | undefined): Record<string, string> {
  const out: Record<string, string> = {};
  for (const part of (header ?? '').split(';')) {
    const i = part.indexOf('=');
    if (i <= 0) continue;
    const raw = part.slice(i + 1).trim();
    // Another local app may set a cookie such as `x=100%`: a malformed escape must not throw (it would crash the upgrade).
    try {
      out[part.slice(0, i).trim()] = decodeURIComponent(raw);
    } catch {
      out[part.slice(0, i).trim()] = raw;
    }
  }
  return out;
}

/** The token a request presents: `?token=`, `Authorization: Bearer`, or the cookie set on first visit. */
export function presentedToken(req: IncomingMessage, url: URL, cookie: string): string | null {
  const q = url.searchParams.get('token');
  if (q) return q;
  const auth = req.headers.authorization;
  if (auth?.startsWith('Bearer ')) return auth.slice(7).trim();
  return parseCookies(req.headers.cookie)[cookie] ?? null;
}

export type Refusal = { status: number; reason: string } | null;

/**
 * Checks Host always, Origin when the client sent one (browsers always do; a foreign one is refused),
 * and the token. Returns why a request is refused, or null when it may pass.
 */
export function checkRequest(
  req: IncomingMessage,
  url: URL,
  token: string,
  hosts: Set<string>,
  opts: { requireToken?: boolean; cookie?: string } = {},
): Refusal {
  const { requireToken = true, cookie = 'trainyard_token' } = opts;
  const host = req.headers.host ?? '';
  if (!hosts.has(host)) return { status: 403, reason: `Host "${host}" is not allowed.` };
  const origin = req.headers.origin;
  if (origin !== undefined && origin !== 'null') {
    let originHost: string;
    try {
      originHost = new URL(origin).host;
    } catch {
      return { status: 403, reason: 'Malformed Origin.' };
    }
    if (!hosts.has(originHost)) return { status: 403, reason: `Origin "${origin}" is not allowed.` };
  } else if (origin === 'null') {
    return { status: 403, reason: 'Opaque Origin is not allowed.' };
  }
  if (!requireToken) return null;
  const presented = presentedToken(req, url, cookie);
  if (!presented) return { status: 401, reason: 'Token required.' };
  if (!tokensEqual(presented, token)) return { status: 401, reason: 'Wrong token.' };
  return null;
}
