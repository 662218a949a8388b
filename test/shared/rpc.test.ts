/** The RPC layer over an in-memory transport and over a real WebSocket: calls, validation, errors, subscriptions, close. */
import { createServer } from 'node:http';
import type { AddressInfo } from 'node:net';
import { afterEach, describe, expect, it } from 'vitest';
import WebSocket, { WebSocketServer } from 'ws';
import { createRpcClient, type RpcClient } from '../../src/shared/rpc/client.js';
import { RpcError } from '../../src/shared/rpc/protocol.js';
import { serveRpc } from '../../src/shared/rpc/server.js';
import { memoryTransportPair, type Transport } from '../../src/shared/rpc/transport.js';
import { wsTransport } from '../../src/server/wsTransport.js';
import { stopped, testHandlers, testMethods, testSubscriptions, testTopics } from './rpcFixture.js';

type Client = RpcClient<typeof testMethods, typeof testTopics>;
const cleanups: (() => void | Promise<void>)[] = [];
afterEach(async () => {
  for (const c of cleanups.splice(0)) await c();
});

function serve(t: Transport) {
  return serveRpc(t, {
    methods: testMethods,
    topics: testTopics,
    handlers: testHandlers,
    subscriptions: testSubscriptions,
    connectionId: 'test',
  });
}

async function memoryClient(): Promise<{ client: Client; server: Transport }> {
  const [c, s] = memoryTransportPair();
  serve(s);
  return { client: createRpcClient(c), server: s };
}

async function wsClient(): Promise<{ client: Client; server: Transport }> {
  const http = createServer();
  const wss = new WebSocketServer({ server: http });
  let serverSide!: Transport;
  const connected = new Promise<void>((r) =>
    wss.on('connection', (ws) => {
      serverSide = wsTransport(ws);
      serve(serverSide);
      r();
    }),
  );
  await new Promise<void>((r) => http.listen(0, '127.0.0.1', r));
  const ws = new WebSocket(`ws://127.0.0.1:${(http.address() as AddressInfo).port}`);
  await new Promise((r) => ws.once('open', r));
  await connected;
  cleanups.push(() => new Promise<void>((r) => (ws.close(), wss.close(), http.close(() => r()))));
  return { client: createRpcClient(wsTransport(ws as never)), server: serverSide };
}

describe.each([
  ['memory', memoryClient],
  ['websocket', wsClient],
])('RPC over %s', (_name, make) => {
  it('calls a method and gets a typed result', async () => {
    const { client } = await make();
    await expect(client.call('add', { a: 2, b: 40 })).resolves.toBe(42);
  });

  it('answers many concurrent calls, each with its own result', async () => {
    const { client } = await make();
    const results = await Promise.all([client.call('slow', { ms: 30 }), client.call('add', { a: 1, b: 1 }), client.call('slow', { ms: 1 })]);
    expect(results).toEqual(['waited 30', 2, 'waited 1']);
  });

  it('rejects params that fail the schema, naming the field', async () => {
    const { client } = await make();
    const err = await client.call('add', { a: 1, b: 'two' } as never).catch((e: unknown) => e);
    expect(err).toBeInstanceOf(RpcError);
    expect((err as RpcError).code).toBe('bad_request');
    expect((err as RpcError).message).toMatch(/^b:/);
    const extra = await client.call('add', { a: 1, b: 2, c: 3 } as never).catch((e: unknown) => e);
    expect((extra as RpcError).code).toBe('bad_request');
  });

  it('rejects unknown methods, including inherited object keys', async () => {
    const { client } = await make();
    for (const m of ['nope', 'toString', '__proto__', 'constructor']) {
      const err = await client.call(m as never, {} as never).catch((e: unknown) => e);
      expect((err as RpcError).code).toBe('unknown_method');
    }
  });

  it('passes an RpcError message through and hides nothing useful for crashes', async () => {
    const { client } = await make();
    await expect(client.call('fail', { kind: 'rpc' })).rejects.toMatchObject({ code: 'conflict', message: 'That task is already queued.' });
    await expect(client.call('fail', { kind: 'crash' })).rejects.toMatchObject({ code: 'internal', message: 'Internal error: database is locked' });
  });

  it('carries a typed code and the engine’s message code, so the renderer can word it in the user’s language', async () => {
    const { client } = await make();
    const err = (await client.call('fail', { kind: 'said' }).catch((e: unknown) => e)) as RpcError;
    expect(err).toBeInstanceOf(RpcError);
    expect(err.code).toBe('not_found');
    expect(err.message).toBe('The trainer exited with code 3.');
    expect(err.said).toEqual({ code: 'failure.exitCode', params: { code: '3' }, text: 'The trainer exited with code 3.' });
  });

  it('streams a subscription and stops it on unsubscribe', async () => {
    const { client } = await make();
    const got: number[] = [];
    const before = stopped.length;
    await new Promise<void>((resolve) => {
      const stop = client.subscribe('ticks', { count: 50 }, (d) => {
        got.push(d.n);
        if (d.n === 3) {
          stop();
          resolve();
        }
      });
    });
    await new Promise((r) => setTimeout(r, 30));
    expect(got.slice(0, 3)).toEqual([1, 2, 3]);
    expect(stopped.length).toBe(before + 1);
  });

  it('ends a subscription with an error for bad params', async () => {
    const { client } = await make();
    const err = await new Promise<RpcError | undefined>((resolve) => client.subscribe('ticks', { count: 0 }, () => {}, resolve));
    expect(err?.code).toBe('bad_request');
  });

  it('fails pending calls when the connection closes, and stops server subscriptions', async () => {
    const { client } = await make();
    const before = stopped.length;
    client.subscribe('ticks', { count: 100 }, () => {});
    const pending = client.call('slow', { ms: 1000 });
    await new Promise((r) => setTimeout(r, 20));
    client.close();
    await expect(pending).rejects.toMatchObject({ code: 'unavailable' });
    await new Promise((r) => setTimeout(r, 50));
    expect(stopped.length).toBe(before + 1);
    await expect(client.call('add', { a: 1, b: 2 })).rejects.toMatchObject({ code: 'unavailable' });
  });
});

describe('RPC server hardening', () => {
  it('answers a malformed message with bad_request instead of crashing', async () => {
    const [c, s] = memoryTransportPair();
    serve(s);
    const replies: unknown[] = [];
    c.onMessage((m) => replies.push(m));
    c.post({ t: 'call', id: 'x' });
    c.post(null);
    c.post({ t: 'call', id: 7, method: 'add', params: { a: 1, b: 2 } });
    await new Promise((r) => setTimeout(r, 20));
    expect(replies).toContainEqual({ t: 'res', id: -1, ok: false, error: { code: 'bad_request', message: 'Malformed message.' } });
    expect(replies).toContainEqual({ t: 'res', id: 7, ok: true, result: 3 });
  });
});
