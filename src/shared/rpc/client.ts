/** The typed RPC client: `call` a contract method, `subscribe` to a topic; fails pending calls when the transport closes. */
import type { AnyMethods, AnyTopics, DataOf, ParamsOf, ResultOf } from './define.js';
import { RpcError, rpcErrorOf, type ServerMessage } from './errors.js';
import type { Transport } from './transport.js';

export interface RpcClient<M extends AnyMethods, T extends AnyTopics> {
  call<K extends keyof M & string>(method: K, params: ParamsOf<M[K]>): Promise<ResultOf<M[K]>>;
  subscribe<K extends keyof T & string>(
    topic: K,
    params: ParamsOf<T[K]>,
    /** `sub` is this subscription's id on the wire (flow-controlled topics acknowledge with it). */
    onData: (data: DataOf<T[K]>, sub: number) => void,
    onEnd?: (error?: RpcError) => void,
  ): () => void;
  close(): void;
}

interface Pending {
  resolve: (v: unknown) => void;
  reject: (e: unknown) => void;
}

export function createRpcClient<M extends AnyMethods, T extends AnyTopics>(transport: Transport): RpcClient<M, T> {
  let nextId = 1;
  let closed: string | null = null;
  const pending = new Map<number, Pending>();
  const subs = new Map<number, { onData: (d: never, sub: number) => void; onEnd?: (e?: RpcError) => void }>();

  transport.onMessage((raw) => {
    const msg = raw as ServerMessage;
    if (msg.t === 'res') {
      const p = pending.get(msg.id);
      if (!p) return;
      pending.delete(msg.id);
      if (msg.ok) p.resolve(msg.result);
      else p.reject(rpcErrorOf(msg.error));
    } else if (msg.t === 'evt') {
      subs.get(msg.sub)?.onData(msg.data as never, msg.sub);
    } else if (msg.t === 'subend') {
      const s = subs.get(msg.sub);
      subs.delete(msg.sub);
      s?.onEnd?.(msg.error ? rpcErrorOf(msg.error) : undefined);
    }
  });
  transport.onClose((reason) => {
    closed = reason;
    for (const p of pending.values()) p.reject(new RpcError('unavailable', `Connection to the engine closed (${reason}).`));
    pending.clear();
    for (const s of subs.values()) s.onEnd?.(new RpcError('unavailable', 'Connection to the engine closed.'));
    subs.clear();
  });

  return {
    call(method, params) {
      if (closed) return Promise.reject(new RpcError('unavailable', `Connection to the engine closed (${closed}).`));
      const id = nextId++;
      return new Promise((resolve, reject) => {
        pending.set(id, { resolve: resolve as (v: unknown) => void, reject });
        transport.post({ t: 'call', id, method, params: params ?? {} });
      });
    },
    subscribe(topic, params, onData, onEnd) {
      const id = nextId++;
      subs.set(id, { onData: onData as (d: never, sub: number) => void, onEnd });
      if (!closed) transport.post({ t: 'sub', id, topic, params: params ?? {} });
      return () => {
        if (!subs.delete(id) || closed) return;
        transport.post({ t: 'unsub', id });
      };
    },
    close() {
      transport.close();
    },
  };
}
