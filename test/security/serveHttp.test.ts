/** The serve host under attack over HTTP: no route gives the token away, no redirect leaves the server, no cookie. */
import { mkdtempSync, readFileSync, rmSync } from 'node:fs';
import { request } from 'node:http';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import WebSocket from 'ws';
import { WS_PROTOCOL, WS_TOKEN_PREFIX } from '../../src/server/security.js';
import { startServer, type RunningServer } from '../../src/server/serve.js';
import { repoRoot } from '../helpers/fixtures.js';
import { sourceTreeRuntime } from '../helpers/runtime.js';

let server: RunningServer;
let dataDir: string;

beforeAll(async () => {
  dataDir = mkdtempSync(join(tmpdir(), 'trainyard-sec-'));
  server = await startServer({ runtime: sourceTreeRuntime(), port: 0, host: '127.0.0.1', dataDir, staticDir: join(repoRoot, 'out', 'renderer'), env: { ...process.env, TRAINYARD_NVIDIA_SMI: '/nonexistent' } });
});
afterAll(async () => {
  await server?.close();
  rmSync(dataDir, { recursive: true, force: true });
});

/** A raw request (fetch hides redirects and forbids setting Host). */
export function raw(port: number, path: string, headers: Record<string, string> = {}): Promise<{ status: number; headers: Record<string, string | string[] | undefined>; body: string }> {
  return new Promise((resolve, reject) => {
    const req = request({ host: '127.0.0.1', port, path, headers: { Host: `127.0.0.1:${port}`, ...headers } }, (res) => {
      let body = '';
      res.setEncoding('utf8');
      res.on('data', (d: string) => (body += d));
      res.on('end', () => resolve({ status: res.statusCode ?? 0, headers: res.headers, body }));
    });
    req.on('error', reject);
    req.end();
  });
}

describe('serve over HTTP', () => {
  it('never hands out the real token for a wrong one (static asset route with ?token=x)', async () => {
    for (const path of ['/favicon.svg?token=x', '/assets/x.js?token=x', '/?token=x', '/index.html?token=wrong']) {
      const r = await raw(server.port, path);
      const everything = JSON.stringify(r.headers) + r.body;
      expect(everything, path).not.toContain(server.token);
      expect(r.headers['set-cookie'], path).toBeUndefined();
    }
  });

  it('never redirects off the server', async () => {
    for (const path of [`/.//evil.example/?token=${server.token}`, `//evil.example/?token=${server.token}`, `/\\evil.example/?token=x`]) {
      const r = await raw(server.port, path);
      const location = r.headers.location;
      if (location !== undefined) expect(String(location), path).toMatch(/^\/(?![/\\])/);
      expect(r.headers['set-cookie'], path).toBeUndefined();
    }
  });
});

/** The status of a WebSocket handshake, or 'open'. */
function wsStatus(port: number, path: string, headers: Record<string, string>, protocols: string[] = [WS_PROTOCOL]): Promise<number | 'open'> {
  return new Promise((resolve) => {
    const ws = new WebSocket(`ws://127.0.0.1:${port}${path}`, protocols, { headers });
    ws.on('open', () => {
      ws.close();
      resolve('open');
    });
    ws.on('unexpected-response', (_req, res) => resolve(res.statusCode ?? 0));
    ws.on('error', () => resolve(0));
  });
}

describe('every route the server registers', () => {
  const self = () => `http://127.0.0.1:${server.port}`;
  const bearer = () => ({ Authorization: `Bearer ${server.token}` });

  it('has the guard in front: no token, a wrong token, a foreign Origin, a foreign Host', async () => {
    const routes = server.router.routes;
    expect(routes.length).toBeGreaterThanOrEqual(5);
    for (const route of routes) {
      const what = `${route.name} (${route.example})`;
      if (route.upgrade) {
        expect(await wsStatus(server.port, route.example, { Origin: self() }), what).toBe(401);
        expect(await wsStatus(server.port, route.example, { Origin: self() }, [WS_PROTOCOL, `${WS_TOKEN_PREFIX}${'x'.repeat(48)}`]), what).toBe(401);
        const good = [WS_PROTOCOL, `${WS_TOKEN_PREFIX}${server.token}`];
        expect(await wsStatus(server.port, route.example, { Origin: 'https://evil.example' }, good), what).toBe(403);
        expect(await wsStatus(server.port, route.example, { Origin: self(), Host: `evil.example:${server.port}` }, good), what).toBe(403);
        expect(await wsStatus(server.port, route.example, { Origin: self() }, good), what).toBe('open');
        continue;
      }
      const none = await raw(server.port, route.example);
      const wrong = await raw(server.port, route.example, { Authorization: `Bearer ${'x'.repeat(48)}` });
      const origin = await raw(server.port, route.example, { ...bearer(), Origin: 'https://evil.example' });
      const host = await raw(server.port, route.example, { ...bearer(), Host: `evil.example:${server.port}` });
      const right = await raw(server.port, route.example, bearer());
      for (const r of [none, wrong, origin, host, right]) {
        expect(JSON.stringify(r.headers) + r.body, what).not.toContain(server.token);
        expect(r.headers['set-cookie'], what).toBeUndefined();
      }
      expect(origin.status, what).toBe(403);
      expect(host.status, what).toBe(403);
      if (route.access === 'public') {
        expect(none.status, what).toBe(200);
      } else {
        expect(none.status, what).toBe(401);
        expect(wrong.status, what).toBe(401);
        expect([401, 403], what).not.toContain(right.status);
      }
    }
  });

  it('asks for the token on unknown API paths too, and takes nothing but GET and HEAD', async () => {
    expect((await raw(server.port, '/api/does-not-exist')).status).toBe(401);
    expect((await raw(server.port, '/api/does-not-exist', bearer())).status).toBe(404);
    const post = await fetch(`${self()}/api/health`, { method: 'POST', headers: bearer() });
    expect(post.status).toBe(405);
  });

  it('answers /api/health with the version in package.json', async () => {
    const { version } = JSON.parse(readFileSync(join(repoRoot, 'package.json'), 'utf8')) as { version: string };
    const r = await raw(server.port, '/api/health', bearer());
    expect(r.status).toBe(200);
    expect(JSON.parse(r.body)).toMatchObject({ ok: true, version });
  });

  it('serves a download by ticket: for its own path only, and only to a token holder', async () => {
    const noTicket = await raw(server.port, '/api/ticket?path=/api/runs/r1/log');
    expect(noTicket.status).toBe(401);
    const bad = await raw(server.port, '/api/ticket?path=/api/health', bearer());
    expect(bad.status).toBe(400);
    const t = await raw(server.port, '/api/ticket?path=/api/runs/run_missing/log', bearer());
    const { url } = JSON.parse(t.body) as { url: string };
    expect(url).toMatch(/^\/api\/runs\/run_missing\/log\?exp=\d+&sig=/);
    // Admitted by the ticket (404: there is no such run), where the same path without one needs the token.
    expect((await raw(server.port, url)).status).toBe(404);
    expect((await raw(server.port, '/api/runs/run_missing/log')).status).toBe(401);
    expect((await raw(server.port, url.replace('run_missing', 'run_other'))).status).toBe(401);
  });
});

describe('the app shell', () => {
  it('is sent precompressed when the browser accepts it, and plain otherwise; no source maps are shipped', async () => {
    const index = await raw(server.port, '/index.html');
    const script = /src="\.?\/?(assets\/index-[^"]+\.js)"/.exec(index.body)?.[1];
    expect(script).toBeTruthy();
    const br = await raw(server.port, `/${script}`, { 'Accept-Encoding': 'gzip, deflate, br' });
    expect(br.headers['content-encoding']).toBe('br');
    expect(br.headers.vary).toBe('Accept-Encoding');
    const gz = await raw(server.port, `/${script}`, { 'Accept-Encoding': 'gzip;q=1, br;q=0' });
    expect(gz.headers['content-encoding']).toBe('gzip');
    const plain = await raw(server.port, `/${script}`);
    expect(plain.headers['content-encoding']).toBeUndefined();
    expect(plain.body).toContain('function');
    expect((await raw(server.port, `/${script}.map`)).status).not.toBe(200);
  });
});
