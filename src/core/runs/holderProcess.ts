/** The engine's side of a run's holder: run-dir files, starting the detached holder, checking it is alive, connecting to it. */
import { spawn } from 'node:child_process';
import { createHash } from 'node:crypto';
import { existsSync, readFileSync, writeFileSync } from 'node:fs';
import net from 'node:net';
import { tmpdir } from 'node:os';
import { dirname, join, resolve } from 'node:path';
import { fileURLToPath } from 'node:url';
import { encodeFrame, FrameDecoder, type HolderFrame } from './holderProtocol.js';

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
});

/**
 * The holder script. It is plain .mjs (no TypeScript tooling needed at run time): next to this file in the source tree
 * and, in the build, copied beside the compiled output (build-node copies `holder/holder.mjs`).
 */
export function holderScriptPath(): string {
  const here = dirname(fileURLToPath(import.meta.url));
  const candidates = [join(here, 'holder', 'holder.mjs'), resolve(here, '../../../src/core/runs/holder/holder.mjs')];
  return candidates.find((c) => existsSync(c)) ?? candidates[0]!;
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

/** Starts the detached holder (own session, no stdio, unref'd): it survives the engine and the window. */
export function spawnHolder(runDir: string, launch: LaunchFile, env: NodeJS.ProcessEnv): number {
  writeFileSync(runFiles(runDir).launch, JSON.stringify(launch, null, 2) + '\n', { mode: 0o600 });
  const child = spawn(process.execPath, [holderScriptPath(), runDir], {
    detached: true,
    stdio: 'ignore',
    cwd: runDir,
    // Inside Electron, process.execPath is the Electron binary: make it behave as plain Node for the holder.
    env: process.versions.electron ? { ...env, ELECTRON_RUN_AS_NODE: '1' } : env,
  });
  // A failed spawn (ENOENT, EAGAIN, EMFILE…) is reported as an 'error' event as well as by a missing pid: without a
  // listener that event would crash the engine. The missing pid below is what the caller acts on.
  child.on('error', (e) => console.error(`[runs] the run holder for ${runDir} failed to start:`, e));
  child.unref();
  if (child.pid === undefined) throw new Error('Could not start the run holder process.');
  return child.pid;
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
