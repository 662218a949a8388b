/** Serves a contract over one transport: validates every request with zod, runs handlers, streams subscriptions. */
import type { z } from 'zod';
import type { AnyMethods, AnyTopics, DataOf, ParsedParamsOf, ResultOf } from './define.js';
import { clientMessage, RpcError, type RpcErrorBody, type ServerMessage } from './protocol.js';
import type { Transport } from './transport.js';

/** Per-connection facts a handler may need (which connection asked; used for flow control and cleanup). */
export interface CallContext {
  connectionId: string;
}

export type Handlers<M extends AnyMethods> = {
  [K in keyof M]: (params: ParsedParamsOf<M[K]>, ctx: CallContext) => Promise<ResultOf<M[K]>> | ResultOf<M[K]>;
};

/** A subscription handler starts sending and returns the function that stops it. */
export type Subscriptions<T extends AnyTopics> = {
  [K in keyof T]: (
    params: ParsedParamsOf<T[K]>,
    send: (data: DataOf<T[K]>) => void,
    ctx: CallContext & { subscriptionId: number },
  ) => () => void;
};

export interface RpcServerOptions<M extends AnyMethods, T extends AnyTopics> {
  methods: M;
  topics: T;
  handlers: Handlers<M>;
  subscriptions: Subscriptions<T>;
  connectionId: string;
  /** Told about unexpected handler failures (the client only sees a generic message). */
  onInternalError?: (method: string, error: unknown) => void;
}

function toErrorBody(error: unknown): RpcErrorBody | null {
  if (error instanceof RpcError) return { code: error.code, message: error.message, ...(error.said ? { said: error.said } : {}), details: error.details };
  return null;
}

function formatZodIssues(error: z.ZodError): string {
  return error.issues.map((i) => `${i.path.join('.') || '(params)'}: ${i.message}`).join('; ');
}

export function serveRpc<M extends AnyMethods, T extends AnyTopics>(transport: Transport, opts: RpcServerOptions<M, T>): () => void {
  const active = new Map<number, () => void>();
  const ctx: CallContext = { connectionId: opts.connectionId };
  const send = (m: ServerMessage) => {
    try {
      transport.post(m);
    } catch {
      // The peer went away mid-answer; its close handler cleans up.
    }
  };

  const handle = async (raw: unknown) => {
    const parsed = clientMessage.safeParse(raw);
    if (!parsed.success) {
      const id = typeof (raw as { id?: unknown })?.id === 'number' ? (raw as { id: number }).id : -1;
      send({ t: 'res', id, ok: false, error: { code: 'bad_request', message: 'Malformed message.' } });
      return;
    }
    const msg = parsed.data;
    if (msg.t === 'unsub') {
      active.get(msg.id)?.();
      active.delete(msg.id);
      return;
    }
    if (msg.t === 'sub') {
      const def = Object.hasOwn(opts.topics, msg.topic) ? opts.topics[msg.topic] : undefined;
      if (!def) {
        send({ t: 'subend', sub: msg.id, error: { code: 'unknown_method', message: `Unknown topic ${msg.topic}.` } });
        return;
      }
      const p = def.params.safeParse(msg.params);
      if (!p.success) {
        send({ t: 'subend', sub: msg.id, error: { code: 'bad_request', message: formatZodIssues(p.error) } });
        return;
      }
      try {
        const stop = opts.subscriptions[msg.topic as keyof T](p.data, (data) => send({ t: 'evt', sub: msg.id, data }), {
          ...ctx,
          subscriptionId: msg.id,
        });
        // A client that reuses an id replaces its subscription; the old one must not leak its listener.
        active.get(msg.id)?.();
        active.set(msg.id, stop);
      } catch (e) {
        opts.onInternalError?.(msg.topic, e);
        send({ t: 'subend', sub: msg.id, error: toErrorBody(e) ?? { code: 'internal', message: 'Subscription failed.' } });
      }
      return;
    }
    const def = Object.hasOwn(opts.methods, msg.method) ? opts.methods[msg.method] : undefined;
    if (!def) {
      send({ t: 'res', id: msg.id, ok: false, error: { code: 'unknown_method', message: `Unknown method ${msg.method}.` } });
      return;
    }
    const p = def.params.safeParse(msg.params);
    if (!p.success) {
      send({ t: 'res', id: msg.id, ok: false, error: { code: 'bad_request', message: formatZodIssues(p.error) } });
      return;
    }
    try {
      const result = await opts.handlers[msg.method as keyof M](p.data, ctx);
      send({ t: 'res', id: msg.id, ok: true, result: result ?? null });
    } catch (e) {
      const body = toErrorBody(e);
      if (!body) opts.onInternalError?.(msg.method, e);
      const message = e instanceof Error ? e.message : String(e);
      send({ t: 'res', id: msg.id, ok: false, error: body ?? { code: 'internal', message: `Internal error: ${message}` } });
    }
  };

  const offMessage = transport.onMessage((m) => void handle(m));
  const stopAll = () => {
    for (const stop of active.values()) stop();
    active.clear();
  };
  const offClose = transport.onClose(stopAll);
  return () => {
    offMessage();
    offClose();
    stopAll();
  };
}
