/** The stand-in's line to the test (Node's IPC channel): what main did, what it lacked, and the renderer's side of each MessagePort. */

const queue = [];
let sending = 0;

/** Sends one message to the test process (no-op without an IPC channel). */
export function tell(msg) {
  if (!process.send || !process.connected) return;
  sending++;
  process.send(msg, () => {
    sending--;
    if (sending === 0) queue.splice(0).forEach((f) => f());
  });
}

/** Resolves once every message sent so far has left (before process.exit, or the test misses the last ones). */
export function flushed() {
  return sending === 0 ? Promise.resolve() : new Promise((r) => queue.push(r));
}

const handlers = new Map();

/** Registers what the stand-in does for one kind of message from the test. */
export function onTest(kind, fn) {
  handlers.set(kind, fn);
}

process.on('message', (msg) => {
  const fn = handlers.get(msg?.t);
  if (!fn) return tell({ t: 'missing', name: `test message ${msg?.t}`, stack: '' });
  try {
    fn(msg);
  } catch (e) {
    tell({ t: 'error', message: String(e?.stack ?? e) });
  }
});
// Main must not stay alive for this channel alone: Electron's main process lives while the app does, not while a test listens.
process.channel?.unref();
