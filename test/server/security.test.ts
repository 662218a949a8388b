/** Request checks of the serve host: Host allow-list, Origin, the token from a bearer header or subprotocol, download tickets, request paths. */
import type { IncomingMessage } from 'node:http';
import { describe, expect, it } from 'vitest';
import { requestUrl } from '../../src/server/router.js';
import { allowedHosts, checkOrigin, checkToken, createTickets, presentedToken, TICKET_TTL_MS, tokensEqual, WS_TOKEN_PREFIX } from '../../src/server/security.js';
import { resolveStatic } from '../../src/server/staticFiles.js';

const token = 'a'.repeat(48);
const hosts = allowedHosts('127.0.0.1', 7433);
const req = (headers: Record<string, string>, url = '/') => ({ headers, url }) as unknown as IncomingMessage;

describe('checkOrigin', () => {
  it('lets a loopback request pass', () => {
    expect(checkOrigin(req({ host: '127.0.0.1:7433' }), hosts)).toBeNull();
    expect(checkOrigin(req({ host: 'localhost:7433', origin: 'http://localhost:7433' }), hosts)).toBeNull();
  });

  it('refuses a rebinding or missing Host', () => {
    expect(checkOrigin(req({ host: 'attacker.example:7433' }), hosts)?.status).toBe(403);
    expect(checkOrigin(req({}), hosts)?.status).toBe(403);
  });

  it('refuses a foreign, malformed or opaque Origin', () => {
    const r = (origin: string) => checkOrigin(req({ host: '127.0.0.1:7433', origin }), hosts);
    expect(r('https://evil.example')?.status).toBe(403);
    // Another local service on another port is another origin.
    expect(r('http://127.0.0.1:9999')?.status).toBe(403);
    expect(r('null')?.status).toBe(403);
    expect(r('::::')?.status).toBe(403);
    expect(r('http://127.0.0.1:7433')).toBeNull();
  });

  it('adds an explicit --host to the allowed names', () => {
    expect(allowedHosts('192.168.1.5', 80).has('192.168.1.5:80')).toBe(true);
    expect(allowedHosts('0.0.0.0', 80).has('0.0.0.0:80')).toBe(false);
    // On every interface, the machine's own addresses (loopback among them) are the names it answers to.
    expect(allowedHosts('0.0.0.0', 80).has('127.0.0.1:80')).toBe(true);
  });
});

describe('the token', () => {
  it('comes from a bearer header or the WebSocket token subprotocol, never the URL or a cookie', () => {
    expect(presentedToken(req({ authorization: `Bearer ${token}` }))).toBe(token);
    expect(presentedToken(req({ 'sec-websocket-protocol': `trainyard.v1, ${WS_TOKEN_PREFIX}${token}` }))).toBe(token);
    expect(presentedToken(req({ cookie: `trainyard_token_7433=${token}` }, `/?token=${token}`))).toBeNull();
  });

  it('is refused when missing, wrong, or not token-shaped', () => {
    expect(checkToken(null, token)?.status).toBe(401);
    expect(checkToken('b'.repeat(48), token)?.reason).toBe('Wrong token.');
    expect(checkToken(`${token}\r\nX: y`, token)?.status).toBe(401);
    expect(checkToken(token, token)).toBeNull();
    expect(tokensEqual('abc', 'abcd')).toBe(false);
  });
});

describe('download tickets', () => {
  it('are good for one path, for a minute, and reveal nothing of the token', () => {
    let now = 1_000_000;
    const t = createTickets(() => now);
    const url = new URL(t.issue('/api/runs/r1/log'), 'http://x');
    expect(url.pathname).toBe('/api/runs/r1/log');
    expect(url.href).not.toContain(token);
    expect(t.valid(url)).toBe(true);
    const other = new URL(url.href.replace('/r1/', '/r2/'));
    expect(t.valid(other)).toBe(false);
    const forged = new URL(url.href);
    forged.searchParams.set('exp', String(now + 50_000));
    expect(t.valid(forged)).toBe(false);
    now += TICKET_TTL_MS + 1;
    expect(t.valid(url)).toBe(false);
    // Another engine (another key) does not accept it.
    expect(createTickets(() => 1_000_000).valid(new URL(url.href))).toBe(false);
  });
});

describe('request paths', () => {
  it('stay paths of this server', () => {
    expect(requestUrl(req({}, '//evil.example/x?a=1')).pathname).toBe('/evil.example/x');
    expect(requestUrl(req({}, '/.//evil.example/')).host).toBe('engine.invalid');
    expect(requestUrl(req({}, '/\\evil.example')).pathname).toBe('/evil.example');
    expect(requestUrl(req({}, '/api/ticket?path=/x')).searchParams.get('path')).toBe('/x');
  });

  it('never leave the static root', () => {
    expect(resolveStatic('/tmp', '/../etc/passwd')).toBeNull();
    expect(resolveStatic('/tmp', '/%2e%2e/etc/passwd')).toBeNull();
    expect(resolveStatic('/tmp', '/%E0%A4%A')).toBeNull();
  });
});
