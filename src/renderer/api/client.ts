/** The one typed client of the engine: calls and subscriptions that survive reconnects (subscriptions are re-sent). */
import type { Methods, Topics } from '../../shared/contract/index.js';
import { createRpcClient, type RpcClient } from '../../shared/rpc/client.js';
import type { DataOf, ParamsOf, ResultOf } from '../../shared/rpc/define.js';
import type { Transport } from '../../shared/rpc/transport.js';
import { desktop, desktopPort } from '../platform/desktopBridge.js';
import { messagePortTransport, openWebSocketTransport } from '../platform/transports.js';
import { useConnection } from '../stores/connection.js';
import { WS_PROTOCOL, WS_TOKEN_PREFIX } from '../../shared/auth.js';
import { currentToken } from './token.js';

type Client = RpcClient<Methods, Topics>;

interface LiveSub {
  topic: keyof Topics & string;
  params: unknown;
  onData: (d: unknown, sub: number) => void;
  stop: (() => void) | null;
}

let client: Client | null = null;
let waiters: ((c: Client) => void)[] = [];
const subs = new Set<LiveSub>();
let attempt = 0;

async function openTransport(): Promise<Transport> {
  if (desktop) return messagePortTransport(await desktopPort(desktop));
  const token = currentToken();
  if (!token) throw new Error('No access token.');
  const proto = location.protocol === 'https:' ? 'wss:' : 'ws:';
  // The token goes as a subprotocol of the handshake: not in the URL (server logs, history), not in a cookie.
  return openWebSocketTransport(`${proto}//${location.host}/ws`, [WS_PROTOCOL, WS_TOKEN_PREFIX + token]);
}

/** Tells "wrong token" from "engine down": the WebSocket API hides the HTTP status, the health route does not. */
async function diagnose(): Promise<'unauthorized' | 'unreachable'> {
  const token = currentToken();
  if (!token) return 'unauthorized';
  try {
    const r = await fetch('/api/health', { cache: 'no-store', headers: { Authorization: `Bearer ${token}` } });
    return r.status === 401 || r.status === 403 ? 'unauthorized' : 'unreachable';
  } catch {
    return 'unreachable';
  }
}

function attach(c: Client) {
  client = c;
  attempt = 0;
  useConnection.getState().set('connected');
  for (const s of subs) s.stop = c.subscribe(s.topic, s.params as never, s.onData as never);
  waiters.forEach((w) => w(c));
  waiters = [];
}

let retry: ReturnType<typeof setTimeout> | null = null;

/** Connects now, dropping a pending retry (after the person pasted a token, say). */
export function reconnectNow(): void {
  if (retry) clearTimeout(retry);
  retry = null;
  void connect();
}

export async function connect(): Promise<void> {
  const conn = useConnection.getState();
  conn.set(attempt === 0 && conn.since === null ? 'connecting' : 'reconnecting');
  try {
    const transport = await openTransport();
    const c = createRpcClient<Methods, Topics>(transport);
    transport.onClose(() => {
      client = null;
      for (const s of subs) s.stop = null;
      useConnection.getState().set('reconnecting');
      scheduleReconnect();
    });
    attach(c);
  } catch (e) {
    const kind = desktop ? 'unreachable' : await diagnose();
    useConnection.getState().set(kind, e instanceof Error ? e.message : String(e));
    scheduleReconnect();
  }
}

function scheduleReconnect() {
  attempt++;
  const delay = Math.min(10_000, 500 * 2 ** Math.min(attempt, 5));
  retry = setTimeout(() => {
    retry = null;
    void connect();
  }, delay);
}

function ready(): Promise<Client> {
  if (client) return Promise.resolve(client);
  return new Promise((resolve) => waiters.push(resolve));
}

export const api = {
  async call<K extends keyof Methods & string>(method: K, params: ParamsOf<Methods[K]>): Promise<ResultOf<Methods[K]>> {
    const c = await ready();
    return c.call(method, params);
  },
  /**
   * Subscribes now (or once connected) and again after every reconnect; returns the unsubscribe function.
   * `sub` is the current wire id (it changes after a reconnect): flow-controlled topics acknowledge with it.
   */
  subscribe<K extends keyof Topics & string>(
    topic: K,
    params: ParamsOf<Topics[K]>,
    onData: (data: DataOf<Topics[K]>, sub: number) => void,
  ): () => void {
    const s: LiveSub = { topic, params, onData: onData as (d: unknown, sub: number) => void, stop: null };
    subs.add(s);
    if (client) s.stop = client.subscribe(topic, params as never, s.onData as never);
    return () => {
      subs.delete(s);
      s.stop?.();
    };
  },
};
