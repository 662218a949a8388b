/** Wire messages of the RPC layer: calls, results, subscriptions and events. Plain JSON only. */
import { z } from 'zod';

export const callMessage = z.object({ t: z.literal('call'), id: z.number().int(), method: z.string(), params: z.unknown() });
export const subMessage = z.object({ t: z.literal('sub'), id: z.number().int(), topic: z.string(), params: z.unknown() });
export const unsubMessage = z.object({ t: z.literal('unsub'), id: z.number().int() });
export const clientMessage = z.discriminatedUnion('t', [callMessage, subMessage, unsubMessage]);
export type ClientMessage = z.infer<typeof clientMessage>;

export type { RpcErrorBody, ServerMessage } from './errors.js';
export { RpcError } from './errors.js';
