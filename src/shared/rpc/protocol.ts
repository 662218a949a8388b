/** Wire messages of the RPC layer: calls, results, subscriptions and events. Plain JSON only. */
import { z } from 'zod';

export const callMessage = z.object({ t: z.literal('call'), id: z.number().int(), method: z.string(), params: z.unknown() });
export const subMessage = z.object({ t: z.literal('sub'), id: z.number().int(), topic: z.string(), params: z.unknown() });
export const unsubMessage = z.object({ t: z.literal('unsub'), id: z.number().int() });
export const clientMessage = z.discriminatedUnion('t', [callMessage, subMessage, unsubMessage]);
export type ClientMessage = z.infer<typeof clientMessage>;

export interface RpcErrorBody {
  /** Stable machine-readable code: bad_request, not_found, conflict, unavailable, internal, unknown_method. */
  code: string;
  message: string;
  details?: unknown;
}

export type ServerMessage =
  | { t: 'res'; id: number; ok: true; result: unknown }
  | { t: 'res'; id: number; ok: false; error: RpcErrorBody }
  | { t: 'evt'; sub: number; data: unknown }
  | { t: 'subend'; sub: number; error?: RpcErrorBody };

/** An error a handler throws on purpose; its message reaches the user as is. */
export class RpcError extends Error {
  constructor(
    readonly code: string,
    message: string,
    readonly details?: unknown,
  ) {
    super(message);
    this.name = 'RpcError';
  }
}
