/** Helpers every store sync shares: start once however often it is called, and reload after a reconnect. */
import { useConnection } from './connection.js';

/** Wraps a sync so main.tsx and a view may both start it; every caller gets the same stop function. */
export function once(subscribe: () => () => void): () => () => void {
  let running: (() => void) | null = null;
  return () => {
    if (!running) {
      const stop = subscribe();
      running = () => {
        stop();
        running = null;
      };
    }
    return running;
  };
}

/**
 * Wraps a sync that a view may start on mount and stop on unmount while main.tsx keeps it for the app's lifetime:
 * the first start subscribes, the last stop unsubscribes, and a second start never runs the sync twice.
 */
export function refCounted(subscribe: () => () => void): () => () => void {
  let users = 0;
  let stop: (() => void) | null = null;
  return () => {
    if (users++ === 0) stop = subscribe();
    let released = false;
    return () => {
      if (released) return;
      released = true;
      if (--users === 0) {
        stop?.();
        stop = null;
      }
    };
  };
}

/** Change topics only fire on a change: after a reconnect, read the whole state again in case one was missed. */
export function reloadOnReconnect(load: () => void): () => void {
  return useConnection.subscribe((c, prev) => {
    if (c.status === 'connected' && prev.status !== 'connected') load();
  });
}
