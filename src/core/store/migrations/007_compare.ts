/** Schema 7: per-run metric summaries (an incremental cache over metric_points) and spot-check evaluations. */
import type { Migration } from './migration.js';

/**
 * compare_summaries is derived data: it folds metric_points up to `last_seq` so the run table never scans millions
 * of points per query; new points are folded in incrementally. spot_checks/spot_check_items are the evaluation
 * results themselves (not derivable), one row per answer with its latency.
 */
export const m007: Migration = {
  version: 7,
  name: 'compare',
  up: `
    CREATE TABLE compare_summaries (
      run_id TEXT PRIMARY KEY,
      last_seq INTEGER NOT NULL,
      points INTEGER NOT NULL,
      final_loss REAL,
      final_loss_seq INTEGER,
      min_loss REAL,
      last_eval_loss REAL,
      last_eval_seq INTEGER,
      best_eval_loss REAL,
      first_at INTEGER,
      last_at INTEGER,
      max_elapsed_s REAL,
      max_tokens INTEGER
    );

    CREATE TABLE spot_checks (
      id TEXT PRIMARY KEY,
      run_id TEXT NOT NULL,
      file TEXT NOT NULL,
      status TEXT NOT NULL,
      total INTEGER NOT NULL,
      done INTEGER NOT NULL DEFAULT 0,
      exact_match REAL,
      contains REAL,
      rouge_l REAL,
      mean_ttft_ms REAL,
      mean_total_ms REAL,
      mean_tokens_per_s REAL,
      error TEXT,
      created_at INTEGER NOT NULL
    );
    CREATE INDEX spot_checks_run ON spot_checks(run_id, created_at);

    CREATE TABLE spot_check_items (
      check_id TEXT NOT NULL REFERENCES spot_checks(id) ON DELETE CASCADE,
      idx INTEGER NOT NULL,
      prompt TEXT NOT NULL,
      expected TEXT NOT NULL,
      answer TEXT,
      exact INTEGER NOT NULL DEFAULT 0,
      contains INTEGER NOT NULL DEFAULT 0,
      rouge_l REAL NOT NULL DEFAULT 0,
      ttft_ms REAL,
      total_ms REAL,
      tokens INTEGER,
      tokens_per_s REAL,
      error TEXT,
      PRIMARY KEY (check_id, idx)
    ) WITHOUT ROWID;
  `,
};
