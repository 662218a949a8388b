/** The remotes table: the remote engines this engine connects to, with their tokens (read only inside the core). */
import type { Db } from './db.js';

export interface StoredRemote {
  id: string;
  name: string;
  url: string;
  token: string;
  createdAt: number;
}

interface Row {
  id: string;
  name: string;
  url: string;
  token: string;
  created_at: number;
}

const fromRow = (r: Row): StoredRemote => ({ id: r.id, name: r.name, url: r.url, token: r.token, createdAt: r.created_at });

export function createRemotesRepo(db: Db) {
  const all = db.prepare<Row>('SELECT * FROM remotes ORDER BY created_at, name');
  const byName = db.prepare<Row>('SELECT * FROM remotes WHERE name = ?');
  const insert = db.prepare('INSERT INTO remotes (id, name, url, token, created_at) VALUES (@id, @name, @url, @token, @createdAt)');
  const del = db.prepare('DELETE FROM remotes WHERE id = ?');
  return {
    list: (): StoredRemote[] => all.all().map(fromRow),
    byName: (name: string): StoredRemote | null => {
      const r = byName.get(name);
      return r ? fromRow(r) : null;
    },
    insert: (r: StoredRemote) => void insert.run(r),
    remove: (id: string): boolean => del.run(id).changes > 0,
  };
}

export type RemotesRepo = ReturnType<typeof createRemotesRepo>;
