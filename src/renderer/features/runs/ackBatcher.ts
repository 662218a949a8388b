/** Terminal flow control, viewer side: sums what xterm has rendered and acknowledges it in batches, per subscription id. */

export interface AckBatcher {
  /** xterm finished writing `chars` (UTF-16 units of a terminal.data event) of subscription `sub`. */
  add(sub: number, chars: number): void;
  /** Sends what is pending now (before unsubscribing, so the engine's count stays right for a re-subscribe). */
  flush(): void;
  dispose(): void;
}

/**
 * One ack per window (not per write callback, which can fire hundreds of times a second during a tqdm burst), or at
 * once past `maxChars` so the engine's unacknowledged count never nears its pause threshold (~1M) on our account.
 * A new subscription id (after a reconnect) flushes the old one first: acks are counted per subscription.
 */
export function createAckBatcher(send: (sub: number, chars: number) => void, windowMs = 50, maxChars = 128 * 1024): AckBatcher {
  let sub = -1;
  let pending = 0;
  let timer: ReturnType<typeof setTimeout> | null = null;
  let disposed = false;
  const flush = () => {
    if (timer) clearTimeout(timer);
    timer = null;
    if (pending > 0 && sub >= 0) send(sub, pending);
    pending = 0;
  };
  return {
    add(s, chars) {
      if (disposed || chars <= 0) return;
      if (s !== sub) {
        flush();
        sub = s;
      }
      pending += chars;
      if (pending >= maxChars) flush();
      else if (!timer) timer = setTimeout(flush, windowMs);
    },
    flush,
    dispose() {
      flush();
      disposed = true;
    },
  };
}
