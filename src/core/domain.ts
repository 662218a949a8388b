/** The shape every core domain returns: its share of the contract's handlers and subscriptions, plus lifecycle. */
import type { AnyMethods, AnyTopics } from '../shared/rpc/define.js';
import type { Handlers, Subscriptions } from '../shared/rpc/server.js';

export interface Domain<M extends AnyMethods, T extends AnyTopics> {
  handlers: Handlers<M>;
  subscriptions: Subscriptions<T>;
  start?(): Promise<void> | void;
  stop?(): Promise<void> | void;
}
