/** The transport contract the RPC layer runs over: a MessagePort in Electron, a WebSocket in `serve`, memory in tests. */

export interface Transport {
  /** Sends one JSON-serialisable message. */
  post(message: unknown): void;
  /** Registers the message listener; returns a function that removes it. */
  onMessage(listener: (message: unknown) => void): () => void;
  /** Called once when the other side goes away (socket closed, port closed). */
  onClose(listener: (reason: string) => void): () => void;
  close(): void;
}

/** Two transports wired to each other in memory; messages are JSON round-tripped so tests catch non-JSON payloads. */
export function memoryTransportPair(): [Transport, Transport] {
  const make = () => ({
    listeners: new Set<(m: unknown) => void>(),
    closers: new Set<(r: string) => void>(),
    closed: false,
  });
  const a = make();
  const b = make();
  const side = (self: ReturnType<typeof make>, other: ReturnType<typeof make>): Transport => ({
    post(message) {
      if (self.closed) throw new Error('transport closed');
      const copy = JSON.parse(JSON.stringify(message)) as unknown;
      queueMicrotask(() => other.listeners.forEach((l) => l(copy)));
    },
    onMessage(listener) {
      self.listeners.add(listener);
      return () => self.listeners.delete(listener);
    },
    onClose(listener) {
      self.closers.add(listener);
      return () => self.closers.delete(listener);
    },
    close() {
      if (self.closed) return;
      self.closed = true;
      other.closed = true;
      queueMicrotask(() => {
        self.closers.forEach((l) => l('closed'));
        other.closers.forEach((l) => l('peer closed'));
      });
    },
  });
  return [side(a, b), side(b, a)];
}
