/** Who may talk to the engine: a random token (URL, cookie or bearer), a Host allow-list (DNS rebinding) and an Origin check (cross-site WebSocket hijacking). */
import { randomBytes, timingSafeEqual } from 'node:crypto';
import type { IncomingMessage } from 'node:http';

export const TOKEN_COOKIE = 'trainyard_token';

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
  if (listenHost && listenHost !== '0.0.0.0' && listenHost !== '::') names.add(listenHost.includes(':') ? `[${listenHost}]` : listenHost);
  const hosts = new Set<string>();
  for (const n of names) hosts.add(`${n}:${port}`);
  return hosts;
}

export function parseCookies(header: string | undefined): Record<string, string> {
  const out: Record<string, string> = {};
  for (const part of (header ?? '').split(';')) {
    const i = part.indexOf('=');
    if (i <= 0) continue;
    out[part.slice(0, i).trim()] = decodeURIComponent(part.slice(i + 1).trim());
  }
  return out;
}

/** The token a request presents: `?token=`, `Authorization: Bearer`, or the cookie set on first visit. */
export function presentedToken(req: IncomingMessage, url: URL): string | null {
  const q = url.searchParams.get('token');
  if (q) return q;
  const auth = req.headers.authorization;
  if (auth?.startsWith('Bearer ')) return auth.slice(7).trim();
  return parseCookies(req.headers.cookie)[TOKEN_COOKIE] ?? null;
}

export type Refusal = { status: number; reason: string } | null;

/**
 * Checks Host always, Origin when the client sent one (browsers always do; a foreign one is refused),
 * and the token. Returns why a request is refused, or null when it may pass.
 */
export function checkRequest(req: IncomingMessage, url: URL, token: string, hosts: Set<string>, requireToken = true): Refusal {
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
  const presented = presentedToken(req, url);
  if (!presented) return { status: 401, reason: 'Token required.' };
  if (!tokensEqual(presented, token)) return { status: 401, reason: 'Wrong token.' };
  return null;
}
