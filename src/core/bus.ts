/** In-process event bus typed by the contract's topics: domains publish, subscriptions fan out to connections. */
import type { DataOf } from '../shared/rpc/define.js';
import type { Topics } from '../shared/contract/index.js';
import { logger } from './log/logger.js';

const log = logger('bus');

type Listener<T> = (data: T) => void;

export class EventBus {
  private listeners = new Map<string, Set<Listener<unknown>>>();

  on<K extends keyof Topics & string>(topic: K, listener: Listener<DataOf<Topics[K]>>): () => void {
    let set = this.listeners.get(topic);
    if (!set) this.listeners.set(topic, (set = new Set()));
    set.add(listener as Listener<unknown>);
    return () => set.delete(listener as Listener<unknown>);
  }

  emit<K extends keyof Topics & string>(topic: K, data: DataOf<Topics[K]>): void {
    const set = this.listeners.get(topic);
    if (!set) return;
    for (const l of [...set]) {
      try {
        l(data);
      } catch (e) {
        // One broken listener must not stop the others (or the emitter: often a supervisor).
        log.error(`listener for ${topic} failed`, e);
      }
    }
  }
}
