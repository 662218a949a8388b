/** Schema 1: settings, tasks, board lanes and queue, runs. */
import type { Migration } from './migration.js';

export const m001: Migration = {
  version: 1,
  name: 'core',
  up: `
    CREATE TABLE settings (key TEXT PRIMARY KEY, value TEXT NOT NULL);

    CREATE TABLE tasks (
      id TEXT PRIMARY KEY,
      name TEXT NOT NULL,
      source_path TEXT,
      work_dir TEXT NOT NULL,
      yaml TEXT NOT NULL,
      sweep_id TEXT,
      tags TEXT NOT NULL DEFAULT '[]',
      created_at INTEGER NOT NULL,
      updated_at INTEGER NOT NULL
    );

    CREATE TABLE lanes (id TEXT PRIMARY KEY, paused INTEGER NOT NULL DEFAULT 0);

    CREATE TABLE queue_items (
      id TEXT PRIMARY KEY,
      task_id TEXT NOT NULL REFERENCES tasks(id) ON DELETE CASCADE,
      lane TEXT NOT NULL,
      gpu_count INTEGER NOT NULL DEFAULT 1,
      gpu_uuids TEXT NOT NULL DEFAULT '[]',
      position REAL NOT NULL,
      state TEXT NOT NULL,
      note TEXT,
      run_id TEXT,
      created_at INTEGER NOT NULL
    );
    CREATE INDEX queue_items_lane ON queue_items(lane, state, position);

    CREATE TABLE runs (
      id TEXT PRIMARY KEY,
      name TEXT NOT NULL,
      kind TEXT NOT NULL,
      task_id TEXT,
      sweep_id TEXT,
      parent_run_id TEXT,
      status TEXT NOT NULL,
      gpu_indices TEXT NOT NULL,
      gpu_uuids TEXT NOT NULL,
      output_dir TEXT NOT NULL,
      run_dir TEXT NOT NULL,
      config_path TEXT NOT NULL,
      work_dir TEXT NOT NULL,
      argv TEXT NOT NULL,
      env TEXT NOT NULL,
      master_port INTEGER,
      pid INTEGER,
      holder_pid INTEGER,
      exit_code INTEGER,
      signal TEXT,
      failure TEXT,
      estimate_mib INTEGER,
      peak_mib INTEGER,
      progress TEXT,
      tags TEXT NOT NULL DEFAULT '[]',
      notes TEXT NOT NULL DEFAULT '',
      created_at INTEGER NOT NULL,
      started_at INTEGER,
      ended_at INTEGER
    );
    CREATE INDEX runs_status ON runs(status);
    -- Never two live runs in one output_dir. Inference servers (kind 'api') write none (''), so several may live at once.
    CREATE UNIQUE INDEX runs_output_dir_active ON runs(output_dir)
      WHERE status IN ('starting','running','stopping') AND output_dir <> '';
  `,
};
