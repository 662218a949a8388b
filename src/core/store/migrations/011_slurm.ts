/** Schema 11: Slurm jobs behind runs (job id, state, the request and its script) and a queue item's own sbatch options. */
import type { Migration } from './migration.js';

/**
 * One row per run submitted to a Slurm lane (src/core/slurm/slurmRuns.ts): the job id survives an engine restart, the
 * next engine adopts the job through squeue. `stop_requested_at` keeps Stop's grace period across restarts as stop.json
 * does for local runs. `queue_items.slurm` holds a task's own nodes/time/account/QoS (JSON; NULL = Settings → Slurm).
 */
export const m011: Migration = {
  version: 11,
  name: 'slurm',
  up: `
    CREATE TABLE slurm_jobs (
      run_id TEXT PRIMARY KEY,
      job_id TEXT NOT NULL,
      partition TEXT NOT NULL,
      state TEXT NOT NULL,
      reason TEXT,
      node_list TEXT NOT NULL DEFAULT '',
      request TEXT NOT NULL,
      script_path TEXT NOT NULL,
      requeues INTEGER NOT NULL DEFAULT 0,
      submitted_at INTEGER NOT NULL,
      stop_requested_at INTEGER,
      cancel_sent_at INTEGER,
      updated_at INTEGER NOT NULL
    );
    CREATE INDEX slurm_jobs_job ON slurm_jobs (job_id);
    ALTER TABLE queue_items ADD COLUMN slurm TEXT;
  `,
};
