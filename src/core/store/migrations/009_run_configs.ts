/** Schema 9: each run's flattened config as Compare shows it, so the first run table after a start reads SQLite instead of hundreds of YAML files. */
import type { Migration } from './migration.js';

export const m009: Migration = {
  version: 9,
  name: 'run_configs',
  up: `
    -- Derived data: the config copy in the run folder stays the truth; stamp is its mtime:size when it was read.
    CREATE TABLE run_configs (
      path TEXT PRIMARY KEY,
      stamp TEXT NOT NULL,
      config TEXT NOT NULL,
      error TEXT
    );
  `,
};
