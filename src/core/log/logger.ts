/** The engine's one logger: levelled lines to a size-rotated engine.log in the data folder, warnings and errors mirrored to stderr. */
import { appendFileSync, renameSync, statSync } from 'node:fs';

export type LogLevel = 'debug' | 'info' | 'warn' | 'error';
const RANK: Record<LogLevel, number> = { debug: 10, info: 20, warn: 30, error: 40 };

/** engine.log is rotated past this size (engine.log → engine.log.1 → engine.log.2); three files bound the disk used. */
export const LOG_ROTATE_BYTES = 5 * 1024 * 1024;
const KEEP = 2;

interface Sink {
  file: string | null;
  level: LogLevel;
  /** Warnings and errors also go to stderr: a terminal running `serve` shows them as before. */
  mirror: boolean;
  size: number;
}

const sink: Sink = { file: null, level: 'info', mirror: true, size: 0 };

/**
 * One line per entry: `<ISO time> <LEVEL> [scope] message` with an error's stack indented below. The holder writes its
 * stderr (the run folder's holder.log) in the same form, so one reader parses both.
 */
export function formatLine(at: Date, level: LogLevel, scope: string, message: string, err?: unknown): string {
  let line = `${at.toISOString()} ${level.toUpperCase().padEnd(5)} [${scope}] ${message}`;
  if (err !== undefined) {
    const detail = err instanceof Error ? (err.stack ?? `${err.name}: ${err.message}`) : String(err);
    line += `\n  ${detail.replace(/\n/g, '\n  ')}`;
  }
  return `${line}\n`;
}

/** Sends the log to `file` from now on (createCore: `<data>/engine.log`); null keeps it on stderr only (tests, CLI). */
export function logTo(file: string | null, opts: { level?: LogLevel; mirror?: boolean } = {}): void {
  sink.file = file;
  sink.level = opts.level ?? (process.env.TRAINYARD_LOG_LEVEL as LogLevel | undefined) ?? 'info';
  if (!(sink.level in RANK)) sink.level = 'info';
  sink.mirror = opts.mirror ?? true;
  sink.size = file ? sizeOf(file) : 0;
}

export function logFile(): string | null {
  return sink.file;
}

function sizeOf(file: string): number {
  try {
    return statSync(file).size;
  } catch {
    return 0;
  }
}

function rotate(file: string): void {
  for (let i = KEEP; i >= 1; i--) {
    try {
      renameSync(i === 1 ? file : `${file}.${i - 1}`, `${file}.${i}`);
    } catch {
      /* a missing older file is fine */
    }
  }
  sink.size = 0;
}

function write(level: LogLevel, scope: string, message: string, err?: unknown): void {
  if (RANK[level] < RANK[sink.level]) return;
  const line = formatLine(new Date(), level, scope, message, err);
  if (sink.mirror && RANK[level] >= RANK.warn) process.stderr.write(line);
  if (!sink.file) return;
  try {
    if (sink.size + line.length > LOG_ROTATE_BYTES) rotate(sink.file);
    appendFileSync(sink.file, line, { mode: 0o600 });
    sink.size += Buffer.byteLength(line);
  } catch {
    // A full disk must not take the engine down with it: the line still went to stderr when it mattered.
  }
}

/** A logger for one part of the engine; the scope names it in every line (`[runs]`, `[gpu]`, `[serve]`). */
export function logger(scope: string) {
  return {
    debug: (message: string, err?: unknown) => write('debug', scope, message, err),
    info: (message: string, err?: unknown) => write('info', scope, message, err),
    warn: (message: string, err?: unknown) => write('warn', scope, message, err),
    error: (message: string, err?: unknown) => write('error', scope, message, err),
  };
}
export type Logger = ReturnType<typeof logger>;
