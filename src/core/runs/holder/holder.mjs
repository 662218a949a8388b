/** Per-run holder: a detached process that owns the trainer's pseudo-terminal, appends every byte to console.log, serves a Unix socket, and records the exit. */
// Plain ESM JavaScript on purpose: it runs under bare `node` (no tsx/vitest) from the source tree and from the build,
// and it must not import anything of the engine, so the engine can crash or be upgraded while this keeps running.
// Frame format (shared with src/core/runs/holderProtocol.ts): [type u8][length u32 BE][payload].
import { createRequire } from 'node:module';
import fs from 'node:fs';
import net from 'node:net';
import path from 'node:path';
import { createLogWriter } from './logWriter.mjs';
import { MARKER, runProcessFinder, signalAll } from './runProcesses.mjs';

const require = createRequire(import.meta.url);
const pty = require('node-pty');

const runDir = path.resolve(process.argv[2] ?? '');
if (!process.argv[2] || !fs.existsSync(path.join(runDir, 'launch.json'))) {
  process.stderr.write('usage: holder.mjs <runDir containing launch.json>\n');
  process.exit(2);
}
const launch = JSON.parse(fs.readFileSync(path.join(runDir, 'launch.json'), 'utf8'));
const socketPath = launch.socketPath;
// The run dir is <runsDir>/<run id>. The id goes into the trainer's environment as the run marker, which every process
// it starts inherits: that is how the holder (and the engine, after a holder is lost) finds all of the run's processes.
const runId = launch.runId ?? path.basename(runDir);
const stopFile = path.join(runDir, 'stop.json');
const findRunProcesses = runProcessFinder(runId);
/** Every live process of the run, the holder aside; the trainer is one of them until it has exited (its pid may be reused after). */
const runProcesses = () => findRunProcesses(trainerDone ? null : term.pid);
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
/** Set once exit.json is written: nothing more goes to the log or the pty. */
let exited = null;

// The trainer gets the holder's environment with the run marker added and the engine's token removed: a trainer (or
// anything it runs) must not be able to act as the engine. Passing process.env itself keeps node-pty's clean-up of
// terminal variables (TMUX, COLUMNS…).
process.env[MARKER] = runId;
delete process.env.TRAINYARD_TOKEN;

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

// The trainer's exit is not the run's end. A launcher (torchrun) dies at once on the stop signal while its workers,
// in sessions of their own, are still writing the final checkpoint to the pty: the pty must stay open and drained, and
// exit.json waits, until the LAST process of the run is gone.
//
// node-pty reports the exit only once the pty's read side has closed: by itself (EIO, when no process holds the
// terminal any more), or when node-pty destroys it 200 ms after the trainer exited (a macOS workaround). That destroy
// is held back here until no process of the run is left and reads have gone quiet — also so that bytes still in the
// kernel's pty buffer are not lost when the holder is busy at that moment.
let bytesSeen = 0;
/** node-pty's destroy, held back (see above); null until node-pty asked for it. */
let heldDestroy = null;
/** The trainer has exited (node-pty asked to destroy the pty, or reported the exit). */
let trainerDone = false;
/** The trainer's exit status, once node-pty reported it. */
let exitStatus = null;
const sock = term._socket;
if (sock && typeof sock.destroy === 'function') {
  const realDestroy = sock.destroy.bind(sock);
  sock.destroy = (...args) => {
    if (!heldDestroy) {
      heldDestroy = () => realDestroy(...args);
      trainerEnded();
    }
    return sock;
  };
}

// The holder reads the pty as fast as it produces and writes synchronously to the file: a slow or absent viewer
// never applies back-pressure to the trainer.
term.onData((chunk) => {
  if (exited) return;
  const buf = typeof chunk === 'string' ? Buffer.from(chunk, 'utf8') : chunk;
  bytesSeen += buf.length;
  output(buf);
});

// Output is gathered for up to BATCH_MS or BATCH_BYTES and then written and forwarded in one piece: one write(2) and
// one socket frame per 64 KB instead of one per pty read (~4 KB). Live viewers see it at most 16 ms later; the trainer
// is never held up (the pty is still read as fast as it produces).
const BATCH_BYTES = 64 * 1024;
const BATCH_MS = 16;
let batch = [];
let batchBytes = 0;
let batchTimer = null;

function output(buf) {
  batch.push(buf);
  batchBytes += buf.length;
  if (batchBytes >= BATCH_BYTES) flushOutput();
  else if (!batchTimer) batchTimer = setTimeout(flushOutput, BATCH_MS);
}

/** Writes what is gathered to console.log and then to the viewers (frames carry its offset in the file). */
function flushOutput() {
  if (batchTimer) clearTimeout(batchTimer);
  batchTimer = null;
  if (batchBytes === 0) return;
  const buf = batch.length === 1 ? batch[0] : Buffer.concat(batch, batchBytes);
  batch = [];
  batchBytes = 0;
  // Never throws: a failed append is counted (and announced in the file once space returns) — see logWriter.mjs.
  const notice = log.append(buf);
  if (notice) forward(notice);
  forward(buf);
}

function forward(buf) {
  const start = offset;
  offset += buf.length;
  if (clients.size === 0) return;
  // One allocation for header, offset and payload: [type 'D'][length u32][offset u64 as two u32][bytes].
  const f = Buffer.allocUnsafe(13 + buf.length);
  f.writeUInt8(0x44, 0);
  f.writeUInt32BE(8 + buf.length, 1);
  f.writeUInt32BE(Math.floor(start / 0x100000000), 5);
  f.writeUInt32BE(start % 0x100000000, 9);
  buf.copy(f, 13);
  for (const c of clients) if (c.writableLength < MAX_CLIENT_BACKLOG) c.write(f);
}

/** A line of Trainyard's own in the run's console (what Stop did), for the user reading the terminal. */
function say(text) {
  if (exited) return;
  // After what the trainer printed so far, in order.
  flushOutput();
  const buf = Buffer.from(`\r\n[trainyard] ${text}\r\n`);
  const notice = log.append(buf);
  if (notice) forward(notice);
  forward(buf);
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
    // stderr is the run's holder.log: the engine log's line form (src/core/log/logger.ts formatLine), so one reader reads both.
    process.stderr.write(`${new Date().toISOString()} ERROR [holder] ${what} failed: ${e && e.message ? e.message : String(e)}\n`);
  } catch {
    /* stderr is ignored anyway */
  }
}

// ---- Stopping: the engine asks with <runDir>/stop.json {signal, graceMs, killAfterMs, requestedAt} ----
// The holder runs the whole escalation, so a stop goes on while no engine runs, and a second request or an engine
// restart does not start the grace again. The engine's escalation in procTree.ts (for lost runs) follows the same plan.
const STOP_SIGNALS = new Set(['SIGABRT', 'SIGINT', 'SIGTERM', 'SIGHUP', 'SIGQUIT', 'SIGUSR1', 'SIGUSR2']);
const DEFAULT_STOP = { signal: 'SIGABRT', graceMs: 300_000, killAfterMs: 10_000 };
/** Processes a trainer leaves behind when it exits by itself get SIGTERM, then SIGKILL this much later (like Slurm's KillWait). */
const LEFTOVER_KILL_AFTER_MS = 10_000;
/** After SIGKILL, a process in uninterruptible sleep (a hung NFS or driver call) may never go: stop waiting this long after. */
const GIVE_UP_AFTER_KILL_MS = 60_000;
/** { termAt, killAt, termSent, killSent, gaveUp } while the run is being stopped. */
let ending = null;

function readStopRequest() {
  let req;
  try {
    req = JSON.parse(fs.readFileSync(stopFile, 'utf8'));
  } catch {
    req = {};
  }
  const ms = (v, d) => (Number.isFinite(v) && v >= 0 ? v : d);
  const now = Date.now();
  return {
    signal: STOP_SIGNALS.has(req.signal) ? req.signal : DEFAULT_STOP.signal,
    graceMs: ms(req.graceMs, DEFAULT_STOP.graceMs),
    killAfterMs: ms(req.killAfterMs, DEFAULT_STOP.killAfterMs),
    // The grace counts from the request (a clock in the future is not believed).
    at: Number.isFinite(req.requestedAt) && req.requestedAt <= now ? req.requestedAt : now,
  };
}

/** The signal to every process of the run now; SIGTERM at `at + graceMs`, SIGKILL killAfterMs later. A second plan only brings deadlines forward. */
function beginEnd(plan, why) {
  const termAt = plan.at + plan.graceMs;
  const killAt = termAt + plan.killAfterMs;
  if (ending) {
    ending.termAt = Math.min(ending.termAt, termAt);
    ending.killAt = Math.min(ending.killAt, killAt);
    return;
  }
  ending = { termAt, killAt, termSent: plan.signal === 'SIGTERM', killSent: false, gaveUp: false };
  const pids = runProcesses();
  signalAll(pids, plan.signal);
  say(`${why}: ${plan.signal} to ${pids.length} process(es) of the run; SIGTERM to what is left after ${Math.round(plan.graceMs / 1000)} s, SIGKILL ${Math.round(plan.killAfterMs / 1000)} s later.`);
}

/** Called once the trainer has exited: what it left running is stopped unless a stop is already under way. */
function trainerEnded() {
  if (trainerDone) return;
  trainerDone = true;
  if (!ending && runProcesses().length > 0) {
    beginEnd({ signal: 'SIGTERM', graceMs: 0, killAfterMs: LEFTOVER_KILL_AFTER_MS, at: Date.now() }, 'The trainer exited; stopping the processes it left running');
  }
}

let quietTicks = 0;
let lastBytes = -1;
/** Four times a second: a stop request, the escalation's deadlines, and — once the trainer is gone — the run's end. */
function tick() {
  if (exited) return;
  if (!ending && fs.existsSync(stopFile)) beginEnd(readStopRequest(), 'Stop requested');
  quietTicks = bytesSeen === lastBytes ? quietTicks + 1 : 0;
  lastBytes = bytesSeen;
  const now = Date.now();
  // While the trainer runs and the grace lasts there is nothing to look for: spare the /proc scan.
  if (!trainerDone && !(ending && now >= ending.termAt)) return;
  const pids = runProcesses();
  if (ending && pids.length) {
    if (now >= ending.killAt) {
      if (!ending.killSent) say(`SIGKILL to ${pids.length} process(es) still running.`);
      ending.killSent = true;
      // Every tick: a process started meanwhile goes too.
      signalAll(pids, 'SIGKILL');
    } else if (now >= ending.termAt && !ending.termSent) {
      ending.termSent = true;
      say(`SIGTERM to ${pids.length} process(es) still running after the grace period.`);
      signalAll(pids, 'SIGTERM');
    }
  }
  const givenUp = ending && now >= ending.killAt + GIVE_UP_AFTER_KILL_MS;
  if (!trainerDone || (pids.length && !givenUp)) return;
  if (pids.length && !ending.gaveUp) say(`Processes ${pids.join(', ')} did not end after SIGKILL; the run is recorded as ended without them.`);
  if (pids.length) ending.gaveUp = true;
  if (exitStatus) return finishRun(pids);
  // node-pty reports the exit once the read side closes: let it, after the last bytes are read.
  if (heldDestroy && quietTicks >= 3) {
    const destroy = heldDestroy;
    heldDestroy = () => undefined;
    destroy();
  }
}
const ticker = setInterval(tick, 250);

term.onExit(({ exitCode, signal }) => {
  exitStatus = { exitCode, signal };
  trainerEnded();
  tick();
});

/** The run is over (the trainer and every process of the run are gone): exit.json, the exit frame, and the holder ends. */
function finishRun(leftover) {
  if (exited) return;
  clearInterval(ticker);
  flushOutput();
  const notice = log.finish();
  if (notice) forward(notice);
  attempt('fsync of console.log', () => fs.fsyncSync(logFd));
  attempt('close of console.log', () => fs.closeSync(logFd));
  const { exitCode, signal } = exitStatus;
  exited = {
    exitCode: signal ? 128 + signal : exitCode,
    signal: signal ? signalName(signal) : null,
    endedAt: Date.now(),
    logBytes: offset - log.droppedBytes,
    ...(log.droppedBytes ? { droppedBytes: log.droppedBytes } : {}),
    ...(leftover.length ? { leftoverPids: leftover } : {}),
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
}

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
    runId,
    // What this holder does beyond the first version: the engine leaves stops to a holder that lists 'stop-file'.
    features: ['run-marker', 'stop-file'],
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
