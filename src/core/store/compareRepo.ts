/** Compare's SQL: incremental metric summaries over metric_points, curve reads, GPU energy, and spot-check rows. */
import type { CurveMetric, SpotCheckItem, SpotCheckSummary } from '../../shared/types/compare.js';
import type { Db } from './db.js';

export interface MetricSummary {
  lastSeq: number;
  points: number;
  finalLoss: number | null;
  minLoss: number | null;
  lastEvalLoss: number | null;
  bestEvalLoss: number | null;
  firstAt: number | null;
  lastAt: number | null;
  maxElapsedS: number | null;
  maxTokens: number | null;
}

export interface CurveRow {
  step: number;
  epoch: number | null;
  total_tokens: number | null;
  elapsed_s: number | null;
  at: number | null;
  v: number;
}

const CURVE_COLUMN: Record<CurveMetric, string> = { loss: 'loss', eval_loss: 'eval_loss', lr: 'lr' };

interface SummaryRow {
  last_seq: number;
  points: number;
  final_loss: number | null;
  final_loss_seq: number | null;
  min_loss: number | null;
  last_eval_loss: number | null;
  last_eval_seq: number | null;
  best_eval_loss: number | null;
  first_at: number | null;
  last_at: number | null;
  max_elapsed_s: number | null;
  max_tokens: number | null;
}

const minOf = (a: number | null, b: number | null) => (a === null ? b : b === null ? a : Math.min(a, b));
const maxOf = (a: number | null, b: number | null) => (a === null ? b : b === null ? a : Math.max(a, b));

export class CompareRepo {
  constructor(private db: Db) {}

  /** Folds points newer than the stored summary into it (one indexed range read per run with new points). */
  summary(runId: string): MetricSummary {
    const stored = this.db.prepare<SummaryRow>('SELECT * FROM compare_summaries WHERE run_id = ?').get(runId);
    const maxSeq = this.db.prepare<{ m: number | null }>('SELECT MAX(seq) AS m FROM metric_points WHERE run_id = ?').get(runId)?.m ?? null;
    let s: SummaryRow = stored ?? {
      last_seq: -1,
      points: 0,
      final_loss: null,
      final_loss_seq: null,
      min_loss: null,
      last_eval_loss: null,
      last_eval_seq: null,
      best_eval_loss: null,
      first_at: null,
      last_at: null,
      max_elapsed_s: null,
      max_tokens: null,
    };
    if (maxSeq !== null && maxSeq > s.last_seq) s = this.fold(runId, s, maxSeq);
    return {
      lastSeq: s.last_seq,
      points: s.points,
      finalLoss: s.final_loss,
      minLoss: s.min_loss,
      lastEvalLoss: s.last_eval_loss,
      bestEvalLoss: s.best_eval_loss,
      firstAt: s.first_at,
      lastAt: s.last_at,
      maxElapsedS: s.max_elapsed_s,
      maxTokens: s.max_tokens,
    };
  }

  private fold(runId: string, s: SummaryRow, maxSeq: number): SummaryRow {
    const agg = this.db
      .prepare<{ n: number; min_loss: number | null; best_eval: number | null; first_at: number | null; last_at: number | null; el: number | null; tok: number | null }>(
        `SELECT COUNT(*) AS n, MIN(loss) AS min_loss, MIN(eval_loss) AS best_eval, MIN(at) AS first_at, MAX(at) AS last_at,
                MAX(elapsed_s) AS el, MAX(total_tokens) AS tok
         FROM metric_points WHERE run_id = ? AND seq > ? AND seq <= ?`,
      )
      .get(runId, s.last_seq, maxSeq)!;
    const lastLoss = this.db
      .prepare<{ loss: number; seq: number }>(
        'SELECT loss, seq FROM metric_points WHERE run_id = ? AND seq > ? AND seq <= ? AND loss IS NOT NULL ORDER BY seq DESC LIMIT 1',
      )
      .get(runId, s.last_seq, maxSeq);
    const lastEval = this.db
      .prepare<{ eval_loss: number; seq: number }>(
        'SELECT eval_loss, seq FROM metric_points WHERE run_id = ? AND seq > ? AND seq <= ? AND eval_loss IS NOT NULL ORDER BY seq DESC LIMIT 1',
      )
      .get(runId, s.last_seq, maxSeq);
    const next: SummaryRow = {
      last_seq: maxSeq,
      points: s.points + agg.n,
      final_loss: lastLoss ? lastLoss.loss : s.final_loss,
      final_loss_seq: lastLoss ? lastLoss.seq : s.final_loss_seq,
      min_loss: minOf(s.min_loss, agg.min_loss),
      last_eval_loss: lastEval ? lastEval.eval_loss : s.last_eval_loss,
      last_eval_seq: lastEval ? lastEval.seq : s.last_eval_seq,
      best_eval_loss: minOf(s.best_eval_loss, agg.best_eval),
      first_at: minOf(s.first_at, agg.first_at),
      last_at: maxOf(s.last_at, agg.last_at),
      max_elapsed_s: maxOf(s.max_elapsed_s, agg.el),
      max_tokens: maxOf(s.max_tokens, agg.tok),
    };
    this.db
      .prepare(
        `INSERT INTO compare_summaries (run_id, last_seq, points, final_loss, final_loss_seq, min_loss, last_eval_loss, last_eval_seq,
           best_eval_loss, first_at, last_at, max_elapsed_s, max_tokens) VALUES (?,?,?,?,?,?,?,?,?,?,?,?,?)
         ON CONFLICT(run_id) DO UPDATE SET last_seq=excluded.last_seq, points=excluded.points, final_loss=excluded.final_loss,
           final_loss_seq=excluded.final_loss_seq, min_loss=excluded.min_loss, last_eval_loss=excluded.last_eval_loss,
           last_eval_seq=excluded.last_eval_seq, best_eval_loss=excluded.best_eval_loss, first_at=excluded.first_at,
           last_at=excluded.last_at, max_elapsed_s=excluded.max_elapsed_s, max_tokens=excluded.max_tokens`,
      )
      .run(runId, ...Object.values(next));
    return next;
  }

  /** The metrics tailer replaced a run's points (reset): the folded summary no longer describes them. */
  dropSummary(runId: string): void {
    this.db.prepare('DELETE FROM compare_summaries WHERE run_id = ?').run(runId);
  }

  /** Newest point of a run (an index lookup): tells a cached curve whether it is still current. */
  maxSeq(runId: string): number | null {
    return this.db.prepare<{ m: number | null }>('SELECT MAX(seq) AS m FROM metric_points WHERE run_id = ?').get(runId)?.m ?? null;
  }

  curve(runId: string, metric: CurveMetric): CurveRow[] {
    const col = CURVE_COLUMN[metric];
    return this.db
      .prepare<CurveRow>(
        `SELECT step, epoch, total_tokens, elapsed_s, at, ${col} AS v FROM metric_points WHERE run_id = ? AND ${col} IS NOT NULL ORDER BY seq`,
      )
      .all(runId);
  }

  /** Columns of gpu_samples as they are now: the GPU domain owns that table and may reshape it. */
  gpuSampleColumns(): Set<string> {
    try {
      return new Set(this.db.prepare<{ name: string }>("SELECT name FROM pragma_table_info('gpu_samples')").all().map((r) => r.name));
    } catch {
      return new Set();
    }
  }

  powerSamples(uuid: string, from: number, to: number, hasResolution: boolean): { at: number; resolution: number; w: number }[] {
    const res = hasResolution ? 'resolution' : '0';
    return this.db
      .prepare<{ at: number; resolution: number; w: number }>(
        `SELECT at, ${res} AS resolution, power_draw_w AS w FROM gpu_samples
         WHERE uuid = ? AND at >= ? AND at <= ? AND power_draw_w IS NOT NULL ORDER BY at`,
      )
      .all(uuid, from, to);
  }

  insertSpotCheck(s: SpotCheckSummary & { runId: string }): void {
    this.db
      .prepare('INSERT INTO spot_checks (id, run_id, file, status, total, done, created_at) VALUES (?,?,?,?,?,?,?)')
      .run(s.id, s.runId, s.file, s.status, s.total, s.done, s.createdAt);
  }

  saveItem(checkId: string, it: SpotCheckItem): void {
    this.db
      .prepare(
        `INSERT OR REPLACE INTO spot_check_items (check_id, idx, prompt, expected, answer, exact, contains, rouge_l, ttft_ms, total_ms, tokens, tokens_per_s, error)
         VALUES (?,?,?,?,?,?,?,?,?,?,?,?,?)`,
      )
      .run(checkId, it.index, it.prompt, it.expected, it.answer, it.exact ? 1 : 0, it.contains ? 1 : 0, it.rougeL, it.ttftMs, it.totalMs, it.tokens, it.tokensPerSec, it.error);
  }

  /** Recomputes the check's aggregate columns from its items (the single source of truth). */
  updateSpotCheck(id: string, status: SpotCheckSummary['status'], error: string | null): void {
    this.db
      .prepare(
        `UPDATE spot_checks SET status = ?, error = ?,
           done = (SELECT COUNT(*) FROM spot_check_items WHERE check_id = ?),
           exact_match = (SELECT AVG(exact) FROM spot_check_items WHERE check_id = ? AND error IS NULL),
           contains = (SELECT AVG(contains) FROM spot_check_items WHERE check_id = ? AND error IS NULL),
           rouge_l = (SELECT AVG(rouge_l) FROM spot_check_items WHERE check_id = ? AND error IS NULL),
           mean_ttft_ms = (SELECT AVG(ttft_ms) FROM spot_check_items WHERE check_id = ? AND error IS NULL),
           mean_total_ms = (SELECT AVG(total_ms) FROM spot_check_items WHERE check_id = ? AND error IS NULL),
           mean_tokens_per_s = (SELECT AVG(tokens_per_s) FROM spot_check_items WHERE check_id = ? AND error IS NULL)
         WHERE id = ?`,
      )
      .run(status, error, id, id, id, id, id, id, id, id);
  }

  spotCheck(id: string): (SpotCheckSummary & { runId: string }) | null {
    const r = this.db.prepare<SpotRow>('SELECT * FROM spot_checks WHERE id = ?').get(id);
    return r ? spotFromRow(r) : null;
  }

  /** The newest spot-check of every run, keyed by run id. */
  latestSpotChecks(): Map<string, SpotCheckSummary> {
    const rows = this.db
      .prepare<SpotRow>(
        `SELECT s.* FROM spot_checks s JOIN (SELECT run_id, MAX(created_at) AS c FROM spot_checks GROUP BY run_id) l
         ON s.run_id = l.run_id AND s.created_at = l.c`,
      )
      .all();
    return new Map(rows.map((r) => [r.run_id, spotFromRow(r)]));
  }

  items(checkId: string): SpotCheckItem[] {
    return this.db
      .prepare<ItemRow>('SELECT * FROM spot_check_items WHERE check_id = ? ORDER BY idx')
      .all(checkId)
      .map((r) => ({
        index: r.idx,
        prompt: r.prompt,
        expected: r.expected,
        answer: r.answer,
        exact: r.exact === 1,
        contains: r.contains === 1,
        rougeL: r.rouge_l,
        ttftMs: r.ttft_ms,
        totalMs: r.total_ms,
        tokens: r.tokens,
        tokensPerSec: r.tokens_per_s,
        error: r.error,
      }));
  }

  /** Checks left "running" by an engine that died: they will not finish; say so instead of spinning forever. */
  failInterrupted(): void {
    this.db.prepare("UPDATE spot_checks SET status = 'failed', error = 'Interrupted: the engine stopped during the check.' WHERE status = 'running'").run();
  }
}

interface SpotRow {
  id: string;
  run_id: string;
  file: string;
  status: string;
  total: number;
  done: number;
  exact_match: number | null;
  contains: number | null;
  rouge_l: number | null;
  mean_ttft_ms: number | null;
  mean_total_ms: number | null;
  mean_tokens_per_s: number | null;
  error: string | null;
  created_at: number;
}

interface ItemRow {
  idx: number;
  prompt: string;
  expected: string;
  answer: string | null;
  exact: number;
  contains: number;
  rouge_l: number;
  ttft_ms: number | null;
  total_ms: number | null;
  tokens: number | null;
  tokens_per_s: number | null;
  error: string | null;
}

function spotFromRow(r: SpotRow): SpotCheckSummary & { runId: string } {
  return {
    id: r.id,
    runId: r.run_id,
    status: r.status as SpotCheckSummary['status'],
    file: r.file,
    total: r.total,
    done: r.done,
    exactMatch: r.exact_match,
    contains: r.contains,
    rougeL: r.rouge_l,
    meanTtftMs: r.mean_ttft_ms,
    meanTotalMs: r.mean_total_ms,
    meanTokensPerSec: r.mean_tokens_per_s,
    error: r.error,
    createdAt: r.created_at,
  };
}
