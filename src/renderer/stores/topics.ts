/** The renderer's one door to engine topics: one upstream subscription per topic + params, shared by every store that follows it. */
import type { Topics } from '../../shared/contract/index.js';
import type { DataOf, ParamsOf } from '../../shared/rpc/define.js';
import { api } from '../api/client.js';

type Listener = (data: unknown, sub: number) => void;
interface Upstream {
  listeners: Set<Listener>;
  off: () => void;
}

const open = new Map<string, Upstream>();

/** How many upstream subscriptions are open now (tests and diagnostics read it). */
export function openTopicCount(): number {
  return open.size;
}

/**
 * Follows a topic. Several stores may follow the same topic + params (runs, compare and chat all need `runs.changed`):
 * the engine gets one subscription, opened by the first follower and closed with the last. The returned function stops
 * this follower (calling it twice is harmless).
 */
export function followTopic<K extends keyof Topics & string>(
  topic: K,
  params: ParamsOf<Topics[K]>,
  onData: (data: DataOf<Topics[K]>, sub: number) => void,
): () => void {
  const key = `${topic} ${JSON.stringify(params)}`;
  let up = open.get(key);
  if (!up) {
    const listeners = new Set<Listener>();
    // A listener that throws must not starve the others of the same event.
    const fan = (data: unknown, sub: number) => {
      for (const l of [...listeners]) {
        try {
          l(data, sub);
        } catch (e) {
          queueMicrotask(() => {
            throw e;
          });
        }
      }
    };
    up = { listeners, off: api.subscribe(topic, params, fan as never) };
    open.set(key, up);
  }
  const mine: Listener = onData as Listener;
  up.listeners.add(mine);
  let stopped = false;
  const held = up;
  return () => {
    if (stopped) return;
    stopped = true;
    held.listeners.delete(mine);
    if (held.listeners.size === 0 && open.get(key) === held) {
      open.delete(key);
      held.off();
    }
  };
}
