/** A small contract and its handlers, shared by the RPC tests over memory and over a real WebSocket. */
import { z } from 'zod';
import { method, topic } from '../../src/shared/rpc/define.js';
import { msg } from '../../src/shared/messages/message.js';
import { RpcError } from '../../src/shared/rpc/protocol.js';
import type { Handlers, Subscriptions } from '../../src/shared/rpc/server.js';

export const testMethods = {
  add: method<number>()(z.object({ a: z.number(), b: z.number() }).strict()),
  fail: method<null>()(z.object({ kind: z.enum(['rpc', 'said', 'crash']) }).strict()),
  slow: method<string>()(z.object({ ms: z.number().int().max(5000) }).strict()),
};
export const testTopics = {
  ticks: topic<{ n: number }>()(z.object({ count: z.number().int().min(1).max(100) }).strict()),
};

export const stopped: number[] = [];

export const testHandlers: Handlers<typeof testMethods> = {
  add: ({ a, b }) => a + b,
  fail: ({ kind }) => {
    if (kind === 'rpc') throw new RpcError('conflict', 'That task is already queued.');
    if (kind === 'said') throw new RpcError('not_found', msg('failure.exitCode', { code: '3' }));
    throw new Error('database is locked');
  },
  slow: ({ ms }) => new Promise((r) => setTimeout(() => r(`waited ${ms}`), ms)),
};

export const testSubscriptions: Subscriptions<typeof testTopics> = {
  ticks: ({ count }, send, ctx) => {
    let n = 0;
    const t = setInterval(() => {
      send({ n: ++n });
      if (n >= count) clearInterval(t);
    }, 5);
    return () => {
      clearInterval(t);
      stopped.push(ctx.subscriptionId);
    };
  },
};
