/** The one file that imports better-sqlite3: opens the store, sets WAL, runs numbered migrations. */
import Database from 'better-sqlite3';
import { existsSync } from 'node:fs';
import { dirname } from 'node:path';
import { migrations } from './migrations/index.js';
import { ensurePrivateDir, ensurePrivateFile } from './privateFiles.js';

/** What the rest of core sees of SQLite: statements and transactions, no driver types. */
export interface Statement<Row = unknown> {
  run(...params: unknown[]): { changes: number; lastInsertRowid: number | bigint };
  get(...params: unknown[]): Row | undefined;
  all(...params: unknown[]): Row[];
  iterate(...params: unknown[]): IterableIterator<Row>;
}

export interface Db {
  readonly path: string;
  prepare<Row = unknown>(sql: string): Statement<Row>;
  exec(sql: string): void;
  /** Wraps fn in one transaction (one fsync for a whole batch of inserts). */
  transaction<A extends unknown[], R>(fn: (...args: A) => R): (...args: A) => R;
  close(): void;
}

export interface OpenDbOptions {
  /** A better-sqlite3 native binding to load instead of the package's own build (the desktop app's Electron-ABI build). */
  nativeBinding?: string | null;
}

export function openDb(path: string, opts: OpenDbOptions = {}): Db {
  if (opts.nativeBinding && !existsSync(opts.nativeBinding)) {
    throw new Error(`The SQLite driver built for this runtime is missing: ${opts.nativeBinding}.`);
  }
  if (path !== ':memory:') {
    ensurePrivateDir(dirname(path));
    ensurePrivateFile(path);
  }
  const raw = new Database(path, opts.nativeBinding ? { nativeBinding: opts.nativeBinding } : {});
  try {
    assertWritable(raw, path);
  } catch (e) {
    raw.close();
    throw e;
  }
  raw.pragma('journal_mode = WAL');
  // NORMAL is safe with WAL (no corruption on power loss, at worst the last commits are lost) and much faster.
  raw.pragma('synchronous = NORMAL');
  raw.pragma('foreign_keys = ON');
  raw.pragma('busy_timeout = 5000');
  migrate(raw);
  return {
    path,
    prepare: <Row>(sql: string) => raw.prepare(sql) as unknown as Statement<Row>,
    exec: (sql) => void raw.exec(sql),
    transaction: (fn) => raw.transaction(fn) as never,
    close: () => raw.close(),
  };
}

/**
 * SQLite silently opens a file it may not write read-only, and every later write fails (once a second, from GPU
 * sampling). An engine that cannot write its store cannot work: say so at once, with the file and what to do.
 */
function assertWritable(raw: Database.Database, path: string): void {
  let problem: string | null = raw.readonly ? 'it is read-only for this user' : null;
  if (!problem) {
    try {
      // A change rolled back: fails on a read-only file, folder or file system (an empty transaction would not).
      raw.exec('BEGIN IMMEDIATE; CREATE TABLE trainyard_write_probe (x); ROLLBACK');
    } catch (e) {
      problem = e instanceof Error ? e.message : String(e);
    }
  }
  if (!problem) return;
  const who = typeof process.getuid === 'function' ? ` (uid ${process.getuid()})` : '';
  throw new Error(
    `Trainyard cannot write its database ${path}: ${problem.replace(/^attempt to write a readonly database$/, 'it is read-only')}${who}. ` +
      'Check the owner and permissions of the file and its folder (ls -l), or start with another data folder (--data-dir or TRAINYARD_DATA_DIR).',
  );
}

function migrate(raw: Database.Database): void {
  const current = raw.pragma('user_version', { simple: true }) as number;
  const sorted = [...migrations].sort((a, b) => a.version - b.version);
  const newest = sorted.at(-1)?.version ?? 0;
  if (current > newest) {
    throw new Error(
      `The data file was written by a newer Trainyard (schema ${current}, this build knows ${newest}). ` +
        'Update Trainyard or point TRAINYARD_DATA_DIR at another folder.',
    );
  }
  for (const m of sorted) {
    if (m.version <= current) continue;
    raw.transaction(() => {
      raw.exec(m.up);
      raw.pragma(`user_version = ${m.version}`);
    })();
  }
}
