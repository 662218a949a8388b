/** The engine's side of a run's holder: run-dir files, starting the detached holder, checking it is alive, connecting to it. */
import { spawn } from 'node:child_process';
import { createHash } from 'node:crypto';
import { accessSync, closeSync, constants, existsSync, fsyncSync, openSync, readFileSync, readSync, renameSync, statSync, writeFileSync, writeSync } from 'node:fs';
import net from 'node:net';
import { tmpdir } from 'node:os';
import { dirname, join, resolve } from 'node:path';
import type { HolderLaunch } from '../runtimeInstall.js';
import type { RuntimePaths } from '../runtimePaths.js';
import { encodeFrame, FrameDecoder, type HolderFrame } from './holderProtocol.js';
import { logger } from '../log/logger.js';

const log = logger('runs');

export interface HolderInfo {
  holderPid: number;
  trainerPid: number;
  socketPath: string;
  runDir: string;
  script: string;
  startedAt: number;
}

export interface ExitInfo {
  exitCode: number;
  signal: string | null;
  endedAt: number;
  error?: string;
  /** Trainer output the holder could not append to console.log (a full disk); it still went to live viewers. */
  droppedBytes?: number;
}

export const runFiles = (runDir: string) => ({
  config: join(runDir, 'config.yaml'),
  launch: join(runDir, 'launch.json'),
  console: join(runDir, 'console.log'),
  holder: join(runDir, 'holder.json'),
  exit: join(runDir, 'exit.json'),
  /** The holder's stderr: why it could not start, and problems it hit while running. */
  holderLog: join(runDir, 'holder.log'),
});

/** The holder script of an installation. */
export function holderScriptPath(runtime: RuntimePaths): string {
  return join(runtime.holderDir, 'holder.mjs');
}

/** How holders start for each runs folder: createCore registers its engine's copy (installHolderRuntime). */
const launches = new Map<string, HolderLaunch>();

export function useHolderLaunch(runsDir: string, launch: HolderLaunch): () => void {
  const key = resolve(runsDir);
  launches.set(key, launch);
  return () => {
    if (launches.get(key) === launch) launches.delete(key);
  };
}

/** The launch registered for this run's engine (createCore registers it; nothing else may guess where holders are). */
export function holderLaunchFor(runDir: string): HolderLaunch {
  const runsDir = dirname(resolve(runDir));
  const launch = launches.get(runsDir);
  if (!launch) throw new Error(`No engine registered how holders start for ${runsDir} (createCore registers it with useHolderLaunch).`);
  return launch;
}

/** Why a holder cannot start from this launch, checked before each start so the run fails at once, by name. */
export function holderStartProblem(launch: HolderLaunch): string | null {
  if (launch.problem) return launch.problem;
  for (const r of launch.required) {
    try {
      if (!statSync(r.path).isFile()) return `${r.what} is not a file: ${r.path}.`;
      if (r.exec) accessSync(r.path, constants.X_OK);
    } catch (e) {
      const code = (e as NodeJS.ErrnoException).code;
      if (code === 'ENOENT') return `${r.what} is missing: ${r.path}. Restart Trainyard to set it up again.`;
      if (code === 'EACCES') return `${r.what} may not be executed: ${r.path} (permission denied${r.exec ? ', or its file system is mounted noexec' : ''}).`;
      return `${r.what} cannot be used: ${r.path}: ${e instanceof Error ? e.message : String(e)}`;
    }
  }
  return null;
}

/** Unix socket paths are limited to ~107 bytes: use the run dir when short enough, else a hashed name in tmp. */
export function socketPathFor(runDir: string): string {
  const inRun = join(runDir, 'holder.sock');
  if (Buffer.byteLength(inRun) <= 100) return inRun;
  const hash = createHash('sha256').update(runDir).digest('hex').slice(0, 16);
  return join(tmpdir(), `trainyard-${hash}.sock`);
}

export interface LaunchFile {
  argv: string[];
  cwd: string;
  socketPath: string;
  cols: number;
  rows: number;
}

/**
 * Starts the detached holder (own session, unref'd): it survives the engine and the window. Its stderr goes to
 * holder.log (a file, never a pipe to the engine: a pipe would break when the engine exits). Throws at once when
 * the holder cannot start (a missing file, a program that may not be executed).
 */
export function spawnHolder(runDir: string, launch: LaunchFile, env: NodeJS.ProcessEnv, holder: HolderLaunch = holderLaunchFor(runDir)): number {
  const problem = holderStartProblem(holder);
  if (problem) throw new Error(problem);
  const files = runFiles(runDir);
  writeFileSync(files.launch, JSON.stringify(launch, null, 2) + '\n', { mode: 0o600 });
  const stderrFd = openSync(files.holderLog, 'a', 0o600);
  let child;
  try {
    child = spawn(holder.execPath, [holder.entry, runDir], { detached: true, stdio: ['ignore', 'ignore', stderrFd], cwd: runDir, env: { ...env, ...holder.env } });
  } finally {
    closeSync(stderrFd);
  }
  // A failed spawn (ENOENT, EAGAIN, EMFILE…) is reported as an 'error' event as well as by a missing pid: without a
  // listener that event would crash the engine. The missing pid below is what the caller acts on.
  child.on('error', (e) => log.error(`the run holder for ${runDir} failed to start`, e));
  // A holder that dies before it has published itself will never write exit.json: write it for it, with its stderr,
  // so the run fails now with the reason instead of waiting out the start timeout and turning 'lost'.
  child.once('exit', (code, signal) => {
    if (existsSync(files.holder) || existsSync(files.exit)) return;
    const how = code !== null ? `exit code ${code}` : `signal ${signal}`;
    const said = tail(files.holderLog, 2000);
    writeExitInfo(runDir, {
      exitCode: code ?? 1,
      signal,
      endedAt: Date.now(),
      error: `The run holder (${holder.execPath} ${holder.entry}) stopped before it started the trainer (${how})${said ? `: ${said}` : '.'}`,
    });
  });
  child.unref();
  if (child.pid === undefined) throw new Error(`Could not start the run holder process (${holder.execPath}).`);
  return child.pid;
}

/** The last `bytes` of a small text file, trimmed to whole lines; '' when unreadable. */
function tail(file: string, bytes: number): string {
  try {
    const fd = openSync(file, 'r');
    try {
      const size = statSync(file).size;
      const buf = Buffer.alloc(Math.min(bytes, size));
      readSync(fd, buf, 0, buf.length, size - buf.length);
      const text = buf.toString('utf8');
      return (buf.length < size ? text.slice(text.indexOf('\n') + 1) : text).trim();
    } finally {
      closeSync(fd);
    }
  } catch {
    return '';
  }
}

/** exit.json the way the holder writes it (tmp + fsync + rename): readers never see half of it. */
function writeExitInfo(runDir: string, exit: ExitInfo): void {
  const file = runFiles(runDir).exit;
  const tmp = `${file}.tmp-${process.pid}`;
  try {
    const fd = openSync(tmp, 'w');
    try {
      writeSync(fd, JSON.stringify(exit, null, 2) + '\n');
      fsyncSync(fd);
    } finally {
      closeSync(fd);
    }
    renameSync(tmp, file);
  } catch (e) {
    log.error(`could not record the holder's early exit in ${file}:`, e);
  }
}

export function readJson<T>(file: string): T | null {
  try {
    return JSON.parse(readFileSync(file, 'utf8')) as T;
  } catch {
    return null;
  }
}

export const readHolderInfo = (runDir: string) => readJson<HolderInfo>(runFiles(runDir).holder);
export const readExitInfo = (runDir: string) => readJson<ExitInfo>(runFiles(runDir).exit);

/** Alive and not a zombie (an exited child whose parent has not reaped it still answers kill(pid, 0)). */
export function pidAlive(pid: number): boolean {
  try {
    process.kill(pid, 0);
  } catch (e) {
    return (e as NodeJS.ErrnoException).code === 'EPERM';
  }
  try {
    const stat = readFileSync(`/proc/${pid}/stat`, 'utf8');
    return stat.slice(stat.lastIndexOf(')') + 2, stat.lastIndexOf(')') + 3) !== 'Z';
  } catch {
    return true;
  }
}

/** pid alive AND it is our holder for this run dir (guards against pid reuse after a reboot). */
export function holderProcessMatches(info: HolderInfo, runDir: string): boolean {
  return holderPidMatches(info.holderPid, runDir);
}

/** The same check from a bare pid (the one recorded at spawn, before the holder has written holder.json). */
export function holderPidMatches(holderPid: number | null | undefined, runDir: string): boolean {
  if (!holderPid || !pidAlive(holderPid)) return false;
  try {
    const cmd = readFileSync(`/proc/${holderPid}/cmdline`, 'utf8').split('\0');
    return cmd.some((a) => a.endsWith('holder.mjs')) && cmd.includes(resolve(runDir));
  } catch {
    // No /proc (macOS): the pid check is all we have.
    return process.platform !== 'linux';
  }
}

export interface HolderConnection {
  /** Byte offset of console.log at the moment we connected: live frames continue from here. */
  helloOffset: number;
  trainerPid: number;
  input(data: string): void;
  resize(cols: number, rows: number): void;
  close(): void;
}

export interface HolderEvents {
  onData(offset: number, bytes: Buffer): void;
  onExit(exit: ExitInfo): void;
  /** The socket closed (holder exited or was killed); exit may or may not have been seen. */
  onClose(): void;
}

export function connectHolder(socketPath: string, events: HolderEvents, timeoutMs = 10_000): Promise<HolderConnection> {
  return new Promise((resolvePromise, reject) => {
    const sock = net.connect(socketPath);
    const decoder = new FrameDecoder();
    let conn: HolderConnection | null = null;
    const timer = setTimeout(() => {
      sock.destroy();
      reject(new Error(`The run holder did not answer on ${socketPath}.`));
    }, timeoutMs);
    sock.on('error', (e) => {
      clearTimeout(timer);
      if (!conn) reject(e);
    });
    sock.on('close', () => {
      clearTimeout(timer);
      if (conn) events.onClose();
    });
    sock.on('data', (chunk: Buffer) => {
      for (const f of decoder.push(chunk) as HolderFrame[]) {
        if (f.type === 'hello' && !conn) {
          clearTimeout(timer);
          conn = {
            helloOffset: f.offset,
            trainerPid: f.trainerPid,
            input: (data) => void (sock.writable && sock.write(encodeFrame('I', Buffer.from(data, 'utf8')))),
            resize: (cols, rows) => void (sock.writable && sock.write(encodeFrame('R', Buffer.from(JSON.stringify({ cols, rows }))))),
            close: () => sock.destroy(),
          };
          resolvePromise(conn);
        } else if (f.type === 'data') events.onData(f.offset, f.bytes);
        else if (f.type === 'exit') events.onExit({ exitCode: f.exitCode, signal: f.signal, endedAt: f.endedAt });
      }
    });
  });
}
