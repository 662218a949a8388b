/** metric_rows and metric_cursors: batched multi-row inserts that move the tail cursor in the same transaction (restart = no duplicates, no gaps). */
import type { MetricPoint } from '../../shared/types/run.js';
import type { Db, Statement } from './db.js';

export interface MetricCursor {
  source: string;
  offset: number;
  seq: number;
  segment: number;
  lastStep: number;
  /** Parser state beyond the offset (JSON-able). */
  state: Record<string, unknown>;
}

interface PointRow {
  seq: number;
  step: number;
  segment: number;
  at: number | null;
  elapsed_s: number | null;
  loss: number | null;
  eval_loss: number | null;
  lr: number | null;
  epoch: number | null;
  total_tokens: number | null;
  throughput: number | null;
  extra: string | null;
}

function fromRow(r: PointRow): MetricPoint {
  return {
    step: r.step,
    segment: r.segment,
    at: r.at,
    elapsedSeconds: r.elapsed_s,
    ...(r.loss !== null ? { loss: r.loss } : {}),
    ...(r.eval_loss !== null ? { evalLoss: r.eval_loss } : {}),
    ...(r.lr !== null ? { lr: r.lr } : {}),
    ...(r.epoch !== null ? { epoch: r.epoch } : {}),
    ...(r.total_tokens !== null ? { totalTokens: r.total_tokens } : {}),
    ...(r.throughput !== null ? { throughput: r.throughput } : {}),
    ...(r.extra ? { extra: JSON.parse(r.extra) as Record<string, number> } : {}),
  };
}

const COLUMNS = 13;
/** Rows per INSERT: one statement call for a hundred points costs little more than for one (the per-call overhead dominates). */
const BATCH = 100;
const ROW = `(${Array(COLUMNS).fill('?').join(',')})`;

export function createMetricsRepo(db: Db) {
  const upsertCursor = db.prepare(
    `INSERT INTO metric_cursors (run_id, source, offset, seq, segment, last_step, state) VALUES (?,?,?,?,?,?,?)
     ON CONFLICT(run_id) DO UPDATE SET source=excluded.source, offset=excluded.offset, seq=excluded.seq,
       segment=excluded.segment, last_step=excluded.last_step, state=excluded.state`,
  );
  const addRun = db.prepare('INSERT OR IGNORE INTO metric_runs (run_id) VALUES (?)');
  const keyOf = db.prepare<{ run_key: number }>('SELECT run_key FROM metric_runs WHERE run_id = ?');
  const cursorOf = db.prepare<{ source: string; offset: number; seq: number; segment: number; last_step: number; state: string }>(
    'SELECT source, offset, seq, segment, last_step, state FROM metric_cursors WHERE run_id = ?',
  );
  const pointsOf = db.prepare<PointRow>(
    `SELECT r.seq, r.step, r.segment, r.at, r.elapsed_s, r.loss, r.eval_loss, r.lr, r.epoch, r.total_tokens, r.throughput, r.extra
     FROM metric_rows r JOIN metric_runs k ON k.run_key = r.run_key WHERE k.run_id = ? ORDER BY r.seq`,
  );
  const countOf = db.prepare<{ n: number }>('SELECT COUNT(*) AS n FROM metric_rows WHERE run_key = (SELECT run_key FROM metric_runs WHERE run_id = ?)');
  const dropRows = db.prepare('DELETE FROM metric_rows WHERE run_key = (SELECT run_key FROM metric_runs WHERE run_id = ?)');
  const dropCursor = db.prepare('DELETE FROM metric_cursors WHERE run_id = ?');
  /** One INSERT per batch size, prepared the first time a batch of that size comes. */
  const inserts = new Map<number, Statement>();
  const keys = new Map<string, number>();

  /** The small integer that stands for a run in metric_rows (a run id per row would double their size). */
  const runKey = (runId: string): number => {
    let key = keys.get(runId);
    if (key === undefined) {
      addRun.run(runId);
      key = keyOf.get(runId)!.run_key;
      keys.set(runId, key);
    }
    return key;
  };

  const insertStatement = (rows: number): Statement => {
    let st = inserts.get(rows);
    if (!st) {
      st = db.prepare(
        `INSERT INTO metric_rows (run_key, seq, step, segment, at, elapsed_s, loss, eval_loss, lr, epoch, total_tokens, throughput, extra)
         VALUES ${Array(rows).fill(ROW).join(',')}`,
      );
      inserts.set(rows, st);
    }
    return st;
  };

  const insertRows = (key: number, points: (MetricPoint & { seq: number })[]): void => {
    const params: unknown[] = [];
    for (let i = 0; i < points.length; i += BATCH) {
      const chunk = Math.min(BATCH, points.length - i);
      params.length = 0;
      for (let j = i; j < i + chunk; j++) {
        const p = points[j]!;
        params.push(
          key,
          p.seq,
          p.step,
          p.segment,
          p.at,
          p.elapsedSeconds,
          p.loss ?? null,
          p.evalLoss ?? null,
          p.lr ?? null,
          p.epoch ?? null,
          p.totalTokens ?? null,
          p.throughput ?? null,
          p.extra ? JSON.stringify(p.extra) : null,
        );
      }
      insertStatement(chunk).run(...params);
    }
  };

  return {
    // Points and the cursor that covers them commit together: a crash between batches loses neither.
    commit: db.transaction((runId: string, points: (MetricPoint & { seq: number })[], c: MetricCursor): void => {
      if (points.length) insertRows(runKey(runId), points);
      upsertCursor.run(runId, c.source, c.offset, c.seq, c.segment, c.lastStep, JSON.stringify(c.state));
    }),
    cursor: (runId: string): MetricCursor | null => {
      const r = cursorOf.get(runId);
      if (!r) return null;
      let state: Record<string, unknown> = {};
      try {
        state = JSON.parse(r.state) as Record<string, unknown>;
      } catch {
        /* keep empty */
      }
      return { source: r.source, offset: r.offset, seq: r.seq, segment: r.segment, lastStep: r.last_step, state };
    },
    points: (runId: string): MetricPoint[] => pointsOf.all(runId).map(fromRow),
    count: (runId: string): number => countOf.get(runId)?.n ?? 0,
    /** Drops a run's points and cursor (the fallback console source gives way to trainer_log.jsonl). */
    reset: db.transaction((runId: string): void => {
      dropRows.run(runId);
      dropCursor.run(runId);
    }),
  };
}

export type MetricsRepo = ReturnType<typeof createMetricsRepo>;
