/** Schema 10: what the scheduler learned from each run — start-up, throughput alone and shared, its card's utilisation alone. */
import type { Migration } from './migration.js';

/**
 * One row per training run, written while it runs and when it ends (src/core/scheduler/speedRecorder.ts). Steps per
 * second are summed over the stretches in which the number of processes computing on the run's cards stayed the same:
 * `solo_*` while it was alone there, `shared_*` while it was not (`shared_runs_seconds` = Σ processes × seconds, for
 * the mean). `util_*` sums the card's utilisation samples (0–1) taken while it trained alone.
 */
export const m010: Migration = {
  version: 10,
  name: 'run_speed',
  up: `
    CREATE TABLE run_speed (
      run_id TEXT PRIMARY KEY,
      task_id TEXT,
      model TEXT,
      finetuning_type TEXT,
      gpu_name TEXT,
      gpu_count INTEGER NOT NULL,
      started_at INTEGER,
      startup_s REAL,
      ended_at INTEGER,
      status TEXT NOT NULL,
      total_steps INTEGER,
      steps_done INTEGER NOT NULL DEFAULT 0,
      train_s REAL,
      solo_steps REAL NOT NULL DEFAULT 0,
      solo_s REAL NOT NULL DEFAULT 0,
      shared_steps REAL NOT NULL DEFAULT 0,
      shared_s REAL NOT NULL DEFAULT 0,
      shared_runs_s REAL NOT NULL DEFAULT 0,
      util_sum REAL NOT NULL DEFAULT 0,
      util_n INTEGER NOT NULL DEFAULT 0,
      updated_at INTEGER NOT NULL
    );
    CREATE INDEX run_speed_task ON run_speed (task_id, updated_at);
    CREATE INDEX run_speed_model ON run_speed (model, finetuning_type, updated_at);
  `,
};
