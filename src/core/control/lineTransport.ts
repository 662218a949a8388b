/** The RPC Transport over a stream socket (the engine's control socket): one JSON message per line, lines capped in size. */
import type { Socket } from 'node:net';
import type { Transport } from '../../shared/rpc/transport.js';

/** The largest message read, as over the WebSocket (src/server/wsTransport.ts); a longer line closes the connection. */
export const MAX_LINE_BYTES = 32 * 1024 * 1024;

export function lineTransport(socket: Socket): Transport {
  const listeners = new Set<(m: unknown) => void>();
  const closers = new Set<(r: string) => void>();
  let buffered: Buffer[] = [];
  let size = 0;
  let closed = false;
  socket.on('data', (chunk: Buffer) => {
    let start = 0;
    for (let nl = chunk.indexOf(10, start); nl !== -1; nl = chunk.indexOf(10, start)) {
      const line = Buffer.concat([...buffered, chunk.subarray(start, nl)]).toString('utf8');
      buffered = [];
      size = 0;
      start = nl + 1;
      let msg: unknown = null;
      try {
        msg = JSON.parse(line);
      } catch {
        // Not JSON: the RPC server answers a malformed message itself.
      }
      for (const l of [...listeners]) l(msg);
    }
    if (start < chunk.length) {
      buffered.push(chunk.subarray(start));
      size += chunk.length - start;
      if (size > MAX_LINE_BYTES) socket.destroy(new Error('message too large'));
    }
  });
  // A peer that vanishes mid-write raises 'error' before 'close': without a listener Node would throw.
  socket.on('error', () => undefined);
  socket.on('close', () => {
    if (closed) return;
    closed = true;
    for (const c of [...closers]) c('socket closed');
  });
  return {
    post(message) {
      if (!socket.destroyed) socket.write(JSON.stringify(message) + '\n');
    },
    onMessage(l) {
      listeners.add(l);
      return () => listeners.delete(l);
    },
    onClose(l) {
      closers.add(l);
      return () => closers.delete(l);
    },
    close() {
      socket.end();
    },
  };
}
