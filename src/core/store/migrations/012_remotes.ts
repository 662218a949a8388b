/** Schema 12: remote engines (Settings → Remote engines): name, URL and token of each box this engine federates. */
import type { Migration } from './migration.js';

/** The token sits here and nowhere else: the database file is 0600 (privateFiles.ts) and no method returns it. */
export const m012: Migration = {
  version: 12,
  name: 'remotes',
  up: `
    CREATE TABLE remotes (
      id TEXT PRIMARY KEY,
      name TEXT NOT NULL UNIQUE,
      url TEXT NOT NULL,
      token TEXT NOT NULL,
      created_at INTEGER NOT NULL
    );
  `,
};
