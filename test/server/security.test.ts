/** Request checks of the serve host: Host allow-list, Origin, token from query, bearer or cookie. */
import type { IncomingMessage } from 'node:http';
import { describe, expect, it } from 'vitest';
import { allowedHosts, checkRequest, parseCookies, tokenCookieName, tokensEqual } from '../../src/server/security.js';
import { resolveStatic } from '../../src/server/staticFiles.js';

const token = 'a'.repeat(48);
const hosts = allowedHosts('127.0.0.1', 7433);
const req = (headers: Record<string, string>) => ({ headers }) as unknown as IncomingMessage;
const url = (path: string) => new URL(path, 'http://placeholder');

describe('checkRequest', () => {
  it('lets a loopback request with the token pass', () => {
    expect(checkRequest(req({ host: '127.0.0.1:7433' }), url(`/?token=${token}`), token, hosts)).toBeNull();
    expect(checkRequest(req({ host: 'localhost:7433', authorization: `Bearer ${token}` }), url('/api/x'), token, hosts)).toBeNull();
    expect(checkRequest(req({ host: '127.0.0.1:7433', cookie: `x=1; trainyard_token_7433=${token}` }), url('/'), token, hosts, { cookie: tokenCookieName(7433) })).toBeNull();
    // Another engine's cookie (other port) is not ours.
    expect(checkRequest(req({ host: '127.0.0.1:7433', cookie: `trainyard_token_7434=${token}` }), url('/'), token, hosts, { cookie: tokenCookieName(7433) })?.status).toBe(401);
  });

  it('refuses a rebinding Host even with the token', () => {
    expect(checkRequest(req({ host: 'attacker.example:7433' }), url(`/?token=${token}`), token, hosts)?.status).toBe(403);
    expect(checkRequest(req({}), url(`/?token=${token}`), token, hosts)?.status).toBe(403);
  });

  it('refuses a foreign or opaque Origin', () => {
    const r = (origin: string) => checkRequest(req({ host: '127.0.0.1:7433', origin }), url(`/ws?token=${token}`), token, hosts);
    expect(r('https://evil.example')?.status).toBe(403);
    expect(r('http://127.0.0.1:9999')?.status).toBe(403);
    expect(r('null')?.status).toBe(403);
    expect(r('http://127.0.0.1:7433')).toBeNull();
  });

  it('refuses a missing or wrong token with 401', () => {
    expect(checkRequest(req({ host: '127.0.0.1:7433' }), url('/'), token, hosts)?.status).toBe(401);
    expect(checkRequest(req({ host: '127.0.0.1:7433' }), url('/?token=nope'), token, hosts)?.reason).toBe('Wrong token.');
  });

  it('adds an explicit --host to the allowed names', () => {
    const lan = allowedHosts('192.168.1.5', 80);
    expect(lan.has('192.168.1.5:80')).toBe(true);
    expect(allowedHosts('0.0.0.0', 80).has('0.0.0.0:80')).toBe(false);
    // On every interface, the machine's own addresses (loopback among them) are the names it answers to.
    expect(allowedHosts('0.0.0.0', 80).has('127.0.0.1:80')).toBe(true);
  });

  it('compares tokens of different length safely and parses cookies', () => {
    expect(tokensEqual('abc', 'abcd')).toBe(false);
    expect(parseCookies('a=1; b=%20x')).toEqual({ a: '1', b: ' x' });
    // A malformed escape from another local app's cookie is kept raw instead of throwing.
    expect(parseCookies('other_app=100%; c=%E0%A4%A')).toEqual({ other_app: '100%', c: '%E0%A4%A' });
  });
});

describe('resolveStatic', () => {
  it('never leaves the static root', () => {
    expect(resolveStatic('/tmp', '/../etc/passwd')).toBeNull();
    expect(resolveStatic('/tmp', '/%2e%2e/etc/passwd')).toBeNull();
    expect(resolveStatic('/tmp', '/%E0%A4%A')).toBeNull();
  });
});
