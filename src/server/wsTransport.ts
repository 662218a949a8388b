/** Adapts a `ws` WebSocket to the RPC Transport (JSON text frames). */
import type { WebSocket } from 'ws';
import type { Transport } from '../shared/rpc/transport.js';

export function wsTransport(ws: WebSocket): Transport {
  // Protocol errors (a frame over maxPayload, invalid UTF-8) arrive as 'error': without a listener Node throws and
  // the whole engine exits. Drop that one connection instead; its 'close' cleans up.
  ws.on('error', () => ws.terminate());
  return {
    post(message) {
      if (ws.readyState === ws.OPEN) ws.send(JSON.stringify(message));
    },
    onMessage(listener) {
      const h = (data: Buffer | ArrayBuffer | Buffer[], isBinary: boolean) => {
        if (isBinary) return;
        try {
          listener(JSON.parse(data.toString()));
        } catch {
          // Not JSON: answer nothing; the RPC server answers malformed JSON objects itself.
          listener(null);
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
