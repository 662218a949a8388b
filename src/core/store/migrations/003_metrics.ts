/** Schema 3: metric points of runs and the tail cursor of each run's metrics source. */
import type { Migration } from './migration.js';

export const m003: Migration = {
  version: 3,
  name: 'metrics',
  up: `
    CREATE TABLE metric_points (
      run_id TEXT NOT NULL,
      seq INTEGER NOT NULL,
      step INTEGER NOT NULL,
      segment INTEGER NOT NULL,
      at INTEGER,
      elapsed_s REAL,
      loss REAL,
      eval_loss REAL,
      lr REAL,
      epoch REAL,
      total_tokens INTEGER,
      extra TEXT,
      PRIMARY KEY (run_id, seq)
    ) WITHOUT ROWID;

    CREATE TABLE metric_cursors (
      run_id TEXT PRIMARY KEY,
      source TEXT NOT NULL,
      offset INTEGER NOT NULL,
      seq INTEGER NOT NULL,
      segment INTEGER NOT NULL,
      last_step INTEGER NOT NULL,
      -- Parser state beyond the byte offset (console step inference, totals), JSON.
      state TEXT NOT NULL DEFAULT '{}'
    );
  `,
};
