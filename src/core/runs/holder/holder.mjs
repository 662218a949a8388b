/** Per-run holder: a detached process that owns the trainer's pseudo-terminal, appends every byte to console.log, serves a Unix socket, and records the exit. */
// Plain ESM JavaScript on purpose: it runs under bare `node` (no tsx/vitest) from the source tree and from the build,
// and it must not import anything of the engine, so the engine can crash or be upgraded while this keeps running.
// Frame format (shared with src/core/runs/holderProtocol.ts): [type u8][length u32 BE][payload].
import { createRequire } from 'node:module';
import fs from 'node:fs';
import net from 'node:net';
import path from 'node:path';
import { createLogWriter } from './logWriter.mjs';

const require = createRequire(import.meta.url);
const pty = require('node-pty');

const runDir = path.resolve(process.argv[2] ?? '');
if (!process.argv[2] || !fs.existsSync(path.join(runDir, 'launch.json'))) {
  process.stderr.write('usage: holder.mjs <runDir containing launch.json>\n');
  process.exit(2);
}
const launch = JSON.parse(fs.readFileSync(path.join(runDir, 'launch.json'), 'utf8'));
const socketPath = launch.socketPath;
// A viewer this far behind stops getting live frames; it reads the gap from console.log (frames carry offsets).
const MAX_CLIENT_BACKLOG = 8 * 1024 * 1024;

function writeJsonAtomic(name, value) {
  const file = path.join(runDir, name);
  const tmp = `${file}.tmp-${process.pid}`;
  try {
    const fd = fs.openSync(tmp, 'w');
    try {
      fs.writeSync(fd, JSON.stringify(value, null, 2) + '\n');
      fs.fsyncSync(fd);
    } finally {
      fs.closeSync(fd);
    }
    fs.renameSync(tmp, file);
  } catch (e) {
    // A full disk: leave no half-written tmp behind; the caller decides what a missing file means.
    try {
      fs.unlinkSync(tmp);
    } catch {
      /* never created */
    }
    throw e;
  }
}

function frame(type, payload) {
  const head = Buffer.alloc(5);
  head.writeUInt8(type.charCodeAt(0), 0);
  head.writeUInt32BE(payload.length, 1);
  return Buffer.concat([head, payload]);
}

const logFd = fs.openSync(path.join(runDir, 'console.log'), 'a');
// A full disk must never end the holder (the trainer would get SIGHUP): appends that fail are dropped and counted,
// later ones retry, and exit.json records the count. Live viewers still get every byte.
const log = createLogWriter(logFd);
// The offset in the byte stream viewers get: console.log's size plus any bytes dropped from it (zero on a healthy disk).
let offset = fs.fstatSync(logFd).size;
const clients = new Set();
let exited = null;

let term;
try {
  term = pty.spawn(launch.argv[0], launch.argv.slice(1), {
    name: 'xterm-256color',
    cols: launch.cols ?? 120,
    rows: launch.rows ?? 32,
    cwd: launch.cwd,
    env: process.env,
    // Buffers, not strings: the log must hold the exact bytes, even a UTF-8 sequence split across reads.
    encoding: null,
  });
} catch (e) {
  const msg = `Trainyard could not start ${JSON.stringify(launch.argv[0])}: ${e && e.message ? e.message : String(e)}\n`;
  log.append(Buffer.from(msg));
  try {
    writeJsonAtomic('exit.json', { exitCode: 127, signal: null, endedAt: Date.now(), error: msg.trim() });
  } catch (err) {
    note('writing exit.json', err);
  }
  process.exit(0);
}

// node-pty destroys the pty's read stream 200 ms after the child exits unless the stream closed by itself (a macOS
// workaround). If the holder is busy at that moment (a trainer that just wrote megabytes), the bytes still in the
// kernel's pty buffer would be lost. So the destroy waits until reads have gone quiet; on Linux the read side normally
// ends first with EIO once the buffer is empty.
let bytesSeen = 0;
const sock = term._socket;
if (sock && typeof sock.destroy === 'function') {
  const realDestroy = sock.destroy.bind(sock);
  let waiting = false;
  sock.destroy = (...args) => {
    if (waiting) return sock;
    waiting = true;
    let last = -1;
    let quiet = 0;
    const check = setInterval(() => {
      quiet = bytesSeen === last ? quiet + 1 : 0;
      last = bytesSeen;
      if (quiet >= 3) {
        clearInterval(check);
        realDestroy(...args);
      }
    }, 200);
    return sock;
  };
}



// The holder reads the pty as fast as it produces and writes synchronously to the file: a slow or absent viewer
// never applies back-pressure to the trainer.
term.onData((chunk) => {
  if (exited) return;
  const buf = typeof chunk === 'string' ? Buffer.from(chunk, 'utf8') : chunk;
  bytesSeen += buf.length;
  // Never throws: a failed append is counted (and announced in the file once space returns) — see logWriter.mjs.
  const notice = log.append(buf);
  if (notice) forward(notice);
  forward(buf);
});

function forward(buf) {
  const start = offset;
  offset += buf.length;
  if (clients.size === 0) return;
  const head = Buffer.alloc(8);
  head.writeUInt32BE(Math.floor(start / 0x100000000), 0);
  head.writeUInt32BE(start % 0x100000000, 4);
  const f = frame('D', Buffer.concat([head, buf]));
  for (const c of clients) if (c.writableLength < MAX_CLIENT_BACKLOG) c.write(f);
}

/** Each step on its own: a full or failing disk must not keep exit.json from being attempted, nor the holder from ending. */
function attempt(what, fn) {
  try {
    fn();
  } catch (e) {
    note(what, e);
  }
}

function note(what, e) {
  try {
    process.stderr.write(`holder: ${what} failed: ${e && e.message ? e.message : String(e)}\n`);
  } catch {
    /* stderr is ignored anyway */
  }
}

term.onExit(({ exitCode, signal }) => {
  const notice = log.finish();
  if (notice) forward(notice);
  attempt('fsync of console.log', () => fs.fsyncSync(logFd));
  attempt('close of console.log', () => fs.closeSync(logFd));
  exited = {
    exitCode: signal ? 128 + signal : exitCode,
    signal: signal ? signalName(signal) : null,
    endedAt: Date.now(),
    logBytes: offset - log.droppedBytes,
    ...(log.droppedBytes ? { droppedBytes: log.droppedBytes } : {}),
  };
  attempt('writing exit.json', () => writeJsonAtomic('exit.json', exited));
  const f = frame('X', Buffer.from(JSON.stringify(exited)));
  for (const c of clients) c.end(f);
  server.close();
  try {
    fs.unlinkSync(socketPath);
  } catch {
    /* already gone */
  }
  // Give the last frames a moment to reach a connected engine; exit.json already holds the truth.
  setTimeout(() => process.exit(0), clients.size ? 500 : 0).unref();
});

function signalName(n) {
  const names = { 1: 'SIGHUP', 2: 'SIGINT', 6: 'SIGABRT', 9: 'SIGKILL', 15: 'SIGTERM', 11: 'SIGSEGV' };
  return names[n] ?? `SIG${n}`;
}

function handleClient(sock) {
  clients.add(sock);
  sock.on('close', () => clients.delete(sock));
  sock.on('error', () => clients.delete(sock));
  sock.write(frame('H', Buffer.from(JSON.stringify({ offset, holderPid: process.pid, trainerPid: term.pid }))));
  let pending = Buffer.alloc(0);
  sock.on('data', (data) => {
    pending = pending.length ? Buffer.concat([pending, data]) : data;
    while (pending.length >= 5) {
      const len = pending.readUInt32BE(1);
      if (pending.length < 5 + len) break;
      const type = String.fromCharCode(pending[0]);
      const body = pending.subarray(5, 5 + len);
      pending = pending.subarray(5 + len);
      if (exited) continue;
      try {
        if (type === 'I') term.write(body.toString('utf8'));
        else if (type === 'R') {
          const { cols, rows } = JSON.parse(body.toString('utf8'));
          term.resize(cols, rows);
        }
      } catch {
        // A bad frame from one client must never take the trainer down.
      }
    }
  });
}

try {
  fs.unlinkSync(socketPath);
} catch {
  /* no stale socket */
}
const server = net.createServer(handleClient);
// holder.json is the engine's signal to connect: write it only once the socket accepts connections. If the socket
// cannot listen, still write it: the trainer runs and logs, and the engine sees a live holder it keeps retrying.
const writeHolderJson = () =>
  writeJsonAtomic('holder.json', {
    holderPid: process.pid,
    trainerPid: term.pid,
    socketPath,
    runDir,
    script: path.resolve(process.argv[1]),
    startedAt: Date.now(),
  });
// On a full disk holder.json may not fit yet: keep trying (the engine keeps a live holder's run active meanwhile).
const publish = () => {
  try {
    writeHolderJson();
  } catch (e) {
    note('writing holder.json', e);
    if (!exited) setTimeout(publish, 2000).unref();
  }
};
server.on('error', (e) => {
  note('socket', e);
  if (!fs.existsSync(path.join(runDir, 'holder.json'))) publish();
});
server.listen(socketPath, publish);
// The engine may be gone for hours; nothing here should end the holder except the trainer's exit.
process.on('SIGHUP', () => {});
process.on('SIGPIPE', () => {});
