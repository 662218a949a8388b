/** The RPC Transport over an outgoing `ws` WebSocket (this engine as a client of a remote `serve`): JSON text frames. */
import type { WebSocket } from 'ws';
import type { Transport } from '../../shared/rpc/transport.js';

export function wsClientTransport(ws: WebSocket): Transport {
  return {
    post(message) {
      if (ws.readyState === ws.OPEN) ws.send(JSON.stringify(message));
    },
    onMessage(listener) {
      const h = (data: Buffer | ArrayBuffer | Buffer[], isBinary: boolean) => {
        if (isBinary) return;
        const buf = Buffer.isBuffer(data) ? data : Array.isArray(data) ? Buffer.concat(data) : Buffer.from(data);
        try {
          listener(JSON.parse(buf.toString()));
        } catch {
          // A frame that is not JSON is no answer to anything we asked: dropped.
        }
      };
      ws.on('message', h);
      return () => ws.off('message', h);
    },
    onClose(listener) {
      const h = (code: number) => listener(`code ${code}`);
      ws.on('close', h);
      return () => ws.off('close', h);
    },
    close() {
      ws.close();
    },
  };
}
