/** Renderer-side transports: a WebSocket to `serve`, or the Electron MessagePort from the preload. */
import type { Transport } from '../../shared/rpc/transport.js';

function listeners<T>() {
  const set = new Set<(v: T) => void>();
  return {
    add(l: (v: T) => void) {
      set.add(l);
      return () => void set.delete(l);
    },
    fire(v: T) {
      set.forEach((l) => l(v));
    },
  };
}

/** Opens a WebSocket and resolves once it is open (rejects if it closes first). */
export function openWebSocketTransport(url: string, protocols?: string[]): Promise<Transport> {
  return new Promise((resolve, reject) => {
    const ws = new WebSocket(url, protocols);
    const messages = listeners<unknown>();
    const closes = listeners<string>();
    let opened = false;
    ws.onmessage = (e) => {
      try {
        messages.fire(JSON.parse(String(e.data)));
      } catch {
        // Ignore a frame that is not JSON; the engine never sends one.
      }
    };
    ws.onclose = (e) => {
      if (!opened) reject(new Error(`WebSocket closed before opening (code ${e.code}).`));
      closes.fire(`code ${e.code}`);
    };
    ws.onopen = () => {
      opened = true;
      resolve({
        post: (m) => ws.readyState === WebSocket.OPEN && ws.send(JSON.stringify(m)),
        onMessage: messages.add,
        onClose: closes.add,
        close: () => ws.close(),
      });
    };
  });
}

export function messagePortTransport(port: MessagePort): Transport {
  const messages = listeners<unknown>();
  const closes = listeners<string>();
  port.onmessage = (e) => messages.fire(e.data);
  // MessagePort has no reliable close event in Chromium; the main process owns the engine, so it lives as long as the window.
  port.start();
  return {
    post: (m) => port.postMessage(m),
    onMessage: messages.add,
    onClose: closes.add,
    close: () => {
      port.close();
      closes.fire('closed');
    },
  };
}
