/** Adapts a `ws` WebSocket to the RPC Transport (JSON text frames), with a message size limit that answers instead of dropping the connection. */
import type { WebSocket } from 'ws';
import type { ServerMessage } from '../shared/rpc/protocol.js';
import type { Transport } from '../shared/rpc/transport.js';

/** The largest message the engine reads (imports are sent in batches under it; see the renderer's importFiles). */
export const MAX_MESSAGE_BYTES = 32 * 1024 * 1024;
/** Frames up to this size are read and answered with a readable error; larger ones close the connection (code 1009). */
export const MAX_FRAME_BYTES = 2 * MAX_MESSAGE_BYTES;

/** The id of a call from the first bytes of its JSON (the client writes `{"t":"call","id":N,…`). */
function callIdOf(data: Buffer): number | null {
  const m = /^\s*\{\s*"t"\s*:\s*"(?:call|sub)"\s*,\s*"id"\s*:\s*(\d{1,15})/.exec(data.subarray(0, 80).toString('latin1'));
  return m ? Number(m[1]) : null;
}

export function wsTransport(ws: WebSocket): Transport {
  // Protocol errors (a frame over maxPayload, invalid UTF-8) arrive as 'error' after ws has started the close
  // handshake with the matching code (1009, 1007): without a listener Node throws and the whole engine exits.
  ws.on('error', () => undefined);
  const post = (message: ServerMessage) => {
    if (ws.readyState === ws.OPEN) ws.send(JSON.stringify(message));
  };
  return {
    post,
    onMessage(listener) {
      const h = (data: Buffer | ArrayBuffer | Buffer[], isBinary: boolean) => {
        if (isBinary) return;
        const buf = Buffer.isBuffer(data) ? data : Array.isArray(data) ? Buffer.concat(data) : Buffer.from(data);
        if (buf.length > MAX_MESSAGE_BYTES) {
          // Answer the call it carried (the connection stays open) rather than parse 32+ MB of JSON.
          const id = callIdOf(buf);
          const mb = (buf.length / 1024 / 1024).toFixed(1);
          const error = { code: 'too_large' as const, message: `The message was ${mb} MB; the engine reads at most ${MAX_MESSAGE_BYTES / 1024 / 1024} MB at once.` };
          if (id !== null) post(/^\s*\{\s*"t"\s*:\s*"sub"/.test(buf.subarray(0, 20).toString('latin1')) ? { t: 'subend', sub: id, error } : { t: 'res', id, ok: false, error });
          return;
        }
        try {
          listener(JSON.parse(buf.toString()));
        } catch {
          // Not JSON: the RPC server answers malformed messages itself.
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
