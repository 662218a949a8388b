/** Schema 8: compact metric rows (an integer run key instead of the run id per row, throughput as a column, no JSON for ordinary lines); `metric_points` stays as a view for readers. */
import type { Migration } from './migration.js';

export const m008: Migration = {
  version: 8,
  name: 'metrics_compact',
  up: `
    CREATE TABLE metric_runs (
      run_key INTEGER PRIMARY KEY,
      run_id TEXT NOT NULL UNIQUE
    );

    -- ~60 bytes a point instead of ~140: a million-line run is 60 MB, not 140. Percentage and LLaMA-Factory's own
    -- remaining time are not kept: the first follows from step / total steps, and Trainyard computes its own ETA.
    CREATE TABLE metric_rows (
      run_key INTEGER NOT NULL,
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
      throughput REAL,
      -- Rare keys (accuracy, reward, grad_norm, eval_* …) as JSON; NULL for ordinary lines.
      extra TEXT,
      PRIMARY KEY (run_key, seq)
    ) WITHOUT ROWID;

    INSERT INTO metric_runs (run_id) SELECT DISTINCT run_id FROM metric_points ORDER BY run_id;
    INSERT INTO metric_rows
      SELECT k.run_key, p.seq, p.step, p.segment, p.at, p.elapsed_s, p.loss, p.eval_loss, p.lr, p.epoch, p.total_tokens,
             json_extract(p.extra, '$.throughput'),
             nullif(json_remove(p.extra, '$.throughput', '$.percentage', '$.remaining_s'), '{}')
      FROM metric_points p JOIN metric_runs k ON k.run_id = p.run_id;
    DROP TABLE metric_points;

    CREATE VIEW metric_points AS
      SELECT k.run_id AS run_id, r.seq, r.step, r.segment, r.at, r.elapsed_s, r.loss, r.eval_loss, r.lr, r.epoch,
             r.total_tokens, r.throughput, r.extra
      FROM metric_rows r JOIN metric_runs k ON k.run_key = r.run_key;
  `,
};
