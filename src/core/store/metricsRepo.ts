/** metric_points and metric_cursors: batched inserts that move the tail cursor in the same transaction (restart = no duplicates, no gaps). */
import type { MetricPoint } from '../../shared/types/run.js';
import type { Db } from './db.js';

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
    ...(r.extra ? { extra: JSON.parse(r.extra) as Record<string, number> } : {}),
  };
}

export class MetricsRepo {
  private insertPoint;
  private upsertCursor;
  readonly commit: (runId: string, points: (MetricPoint & { seq: number })[], cursor: MetricCursor) => void;

  constructor(private db: Db) {
    this.insertPoint = db.prepare(
      `INSERT INTO metric_points (run_id, seq, step, segment, at, elapsed_s, loss, eval_loss, lr, epoch, total_tokens, extra)
       VALUES (?,?,?,?,?,?,?,?,?,?,?,?)`,
    );
    this.upsertCursor = db.prepare(
      `INSERT INTO metric_cursors (run_id, source, offset, seq, segment, last_step, state) VALUES (?,?,?,?,?,?,?)
       ON CONFLICT(run_id) DO UPDATE SET source=excluded.source, offset=excluded.offset, seq=excluded.seq,
         segment=excluded.segment, last_step=excluded.last_step, state=excluded.state`,
    );
    // Points and the cursor that covers them commit together: a crash between batches loses neither.
    this.commit = db.transaction((runId: string, points: (MetricPoint & { seq: number })[], c: MetricCursor) => {
      for (const p of points) {
        this.insertPoint.run(
          runId,
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
          p.extra ? JSON.stringify(p.extra) : null,
        );
      }
      this.upsertCursor.run(runId, c.source, c.offset, c.seq, c.segment, c.lastStep, JSON.stringify(c.state));
    });
  }

  cursor(runId: string): MetricCursor | null {
    const r = this.db
      .prepare<{ source: string; offset: number; seq: number; segment: number; last_step: number; state: string }>(
        'SELECT source, offset, seq, segment, last_step, state FROM metric_cursors WHERE run_id = ?',
      )
      .get(runId);
    if (!r) return null;
    let state: Record<string, unknown> = {};
    try {
      state = JSON.parse(r.state) as Record<string, unknown>;
    } catch {
      /* keep empty */
    }
    return { source: r.source, offset: r.offset, seq: r.seq, segment: r.segment, lastStep: r.last_step, state };
  }

  points(runId: string): MetricPoint[] {
    return this.db.prepare<PointRow>('SELECT * FROM metric_points WHERE run_id = ? ORDER BY seq').all(runId).map(fromRow);
  }

  count(runId: string): number {
    return this.db.prepare<{ n: number }>('SELECT COUNT(*) AS n FROM metric_points WHERE run_id = ?').get(runId)?.n ?? 0;
  }

  /** Drops a run's points and cursor (the fallback console source gives way to trainer_log.jsonl). */
  reset = (runId: string): void => {
    this.db.transaction(() => {
      this.db.prepare('DELETE FROM metric_points WHERE run_id = ?').run(runId);
      this.db.prepare('DELETE FROM metric_cursors WHERE run_id = ?').run(runId);
    })();
  };
}
