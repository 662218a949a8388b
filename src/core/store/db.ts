/** The one file that imports better-sqlite3: opens the store, sets WAL, runs numbered migrations. */
import Database from 'better-sqlite3';
import { mkdirSync } from 'node:fs';
import { dirname } from 'node:path';
import { migrations } from './migrations/index.js';

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

export interface Migration {
  version: number;
  name: string;
  up: string;
}

export function openDb(path: string): Db {
  if (path !== ':memory:') mkdirSync(dirname(path), { recursive: true });
  const raw = new Database(path);
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
