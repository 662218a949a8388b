/** Compare's SQL: incremental metric summaries over metric_points, curve reads, GPU energy, and spot-check rows. */
import type { ConfigValue, CurveMetric, SpotCheckItem, SpotCheckSummary } from '../../shared/types/compare.js';
import type { Db, Statement } from './db.js';

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

/** One stored point of one metric, with every x its curve may be drawn against. */
export interface CurveRow {
  step: number;
  segment: number;
  epoch: number | null;
  totalTokens: number | null;
  elapsedS: number | null;
  at: number | null;
  value: number;
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

/** A run's flattened config as cached: valid while the file keeps its stamp (mtime:size). */
/** A spot-check as stored: its summary and the run it belongs to. */
export type StoredSpotCheck = SpotCheckSummary & { runId: string };

/** The summary the contract carries (the run is the key it is filed under, not part of it). */
export function publicSpotCheck(s: StoredSpotCheck): SpotCheckSummary {
  const { runId: _r, ...summary } = s;
  return summary;
}

export interface StoredConfig {
  stamp: string;
  config: Record<string, ConfigValue>;
  error: string | null;
}

const EMPTY_SUMMARY: SummaryRow = {
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

type PowerRow = { at: number; resolution: number; w: number };

export function createCompareRepo(db: Db) {
  const st = {
    storedConfig: db.prepare<{ stamp: string; config: string; error: string | null }>('SELECT stamp, config, error FROM run_configs WHERE path = ?'),
    storeConfig: db.prepare(
      'INSERT INTO run_configs (path, stamp, config, error) VALUES (?,?,?,?) ON CONFLICT(path) DO UPDATE SET stamp=excluded.stamp, config=excluded.config, error=excluded.error',
    ),
    summary: db.prepare<SummaryRow>('SELECT * FROM compare_summaries WHERE run_id = ?'),
    maxSeq: db.prepare<{ m: number | null }>('SELECT MAX(seq) AS m FROM metric_points WHERE run_id = ?'),
    foldAgg: db.prepare<{ n: number; min_loss: number | null; best_eval: number | null; first_at: number | null; last_at: number | null; el: number | null; tok: number | null }>(
      `SELECT COUNT(*) AS n, MIN(loss) AS min_loss, MIN(eval_loss) AS best_eval, MIN(at) AS first_at, MAX(at) AS last_at,
              MAX(elapsed_s) AS el, MAX(total_tokens) AS tok
       FROM metric_points WHERE run_id = ? AND seq > ? AND seq <= ?`,
    ),
    lastLoss: db.prepare<{ loss: number; seq: number }>(
      'SELECT loss, seq FROM metric_points WHERE run_id = ? AND seq > ? AND seq <= ? AND loss IS NOT NULL ORDER BY seq DESC LIMIT 1',
    ),
    lastEval: db.prepare<{ eval_loss: number; seq: number }>(
      'SELECT eval_loss, seq FROM metric_points WHERE run_id = ? AND seq > ? AND seq <= ? AND eval_loss IS NOT NULL ORDER BY seq DESC LIMIT 1',
    ),
    saveSummary: db.prepare(
      `INSERT INTO compare_summaries (run_id, last_seq, points, final_loss, final_loss_seq, min_loss, last_eval_loss, last_eval_seq,
         best_eval_loss, first_at, last_at, max_elapsed_s, max_tokens) VALUES (?,?,?,?,?,?,?,?,?,?,?,?,?)
       ON CONFLICT(run_id) DO UPDATE SET last_seq=excluded.last_seq, points=excluded.points, final_loss=excluded.final_loss,
         final_loss_seq=excluded.final_loss_seq, min_loss=excluded.min_loss, last_eval_loss=excluded.last_eval_loss,
         last_eval_seq=excluded.last_eval_seq, best_eval_loss=excluded.best_eval_loss, first_at=excluded.first_at,
         last_at=excluded.last_at, max_elapsed_s=excluded.max_elapsed_s, max_tokens=excluded.max_tokens`,
    ),
    dropSummary: db.prepare('DELETE FROM compare_summaries WHERE run_id = ?'),
    curve: Object.fromEntries(
      Object.entries(CURVE_COLUMN).map(([metric, col]) => [
        metric,
        db.prepare<CurveRow>(
          `SELECT step, segment, epoch, total_tokens AS totalTokens, elapsed_s AS elapsedS, at, ${col} AS value FROM metric_points WHERE run_id = ? AND ${col} IS NOT NULL ORDER BY seq`,
        ),
      ]),
    ) as Record<CurveMetric, Statement<CurveRow>>,
    gpuSampleColumns: db.prepare<{ name: string }>("SELECT name FROM pragma_table_info('gpu_samples')"),
    insertSpotCheck: db.prepare('INSERT INTO spot_checks (id, run_id, file, status, total, done, created_at) VALUES (?,?,?,?,?,?,?)'),
    saveItem: db.prepare(
      `INSERT OR REPLACE INTO spot_check_items (check_id, idx, prompt, expected, answer, exact, contains, rouge_l, ttft_ms, total_ms, tokens, tokens_per_s, error)
       VALUES (?,?,?,?,?,?,?,?,?,?,?,?,?)`,
    ),
    updateSpotCheck: db.prepare(
      `UPDATE spot_checks SET status = ?, error = ?,
         done = (SELECT COUNT(*) FROM spot_check_items WHERE check_id = ?),
         exact_match = (SELECT AVG(exact) FROM spot_check_items WHERE check_id = ? AND error IS NULL),
         contains = (SELECT AVG(contains) FROM spot_check_items WHERE check_id = ? AND error IS NULL),
         rouge_l = (SELECT AVG(rouge_l) FROM spot_check_items WHERE check_id = ? AND error IS NULL),
         mean_ttft_ms = (SELECT AVG(ttft_ms) FROM spot_check_items WHERE check_id = ? AND error IS NULL),
         mean_total_ms = (SELECT AVG(total_ms) FROM spot_check_items WHERE check_id = ? AND error IS NULL),
         mean_tokens_per_s = (SELECT AVG(tokens_per_s) FROM spot_check_items WHERE check_id = ? AND error IS NULL)
       WHERE id = ?`,
    ),
    spotCheck: db.prepare<SpotRow>('SELECT * FROM spot_checks WHERE id = ?'),
    latestSpotChecks: db.prepare<SpotRow>(
      `SELECT s.* FROM spot_checks s JOIN (SELECT run_id, MAX(created_at) AS c FROM spot_checks GROUP BY run_id) l
       ON s.run_id = l.run_id AND s.created_at = l.c`,
    ),
    items: db.prepare<ItemRow>('SELECT * FROM spot_check_items WHERE check_id = ? ORDER BY idx'),
    failInterrupted: db.prepare("UPDATE spot_checks SET status = 'failed', error = 'Interrupted: the engine stopped during the check.' WHERE status = 'running'"),
  };
  /** gpu_samples belongs to the GPU domain, which may reshape it: the power read is prepared for the columns found, on first use. */
  const powerReads = new Map<boolean, Statement<PowerRow>>();
  const powerRead = (hasResolution: boolean): Statement<PowerRow> => {
    let read = powerReads.get(hasResolution);
    if (!read) {
      read = db.prepare<PowerRow>(
        `SELECT at, ${hasResolution ? 'resolution' : '0'} AS resolution, power_draw_w AS w FROM gpu_samples
         WHERE uuid = ? AND at >= ? AND at <= ? AND power_draw_w IS NOT NULL ORDER BY at`,
      );
      powerReads.set(hasResolution, read);
    }
    return read;
  };

  const fold = (runId: string, s: SummaryRow, maxSeq: number): SummaryRow => {
    const agg = st.foldAgg.get(runId, s.last_seq, maxSeq)!;
    const lastLoss = st.lastLoss.get(runId, s.last_seq, maxSeq);
    const lastEval = st.lastEval.get(runId, s.last_seq, maxSeq);
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
    st.saveSummary.run(runId, ...Object.values(next));
    return next;
  };
  const maxSeq = (runId: string): number | null => st.maxSeq.get(runId)?.m ?? null;

  return {
    storedConfig: (path: string): StoredConfig | null => {
      const r = st.storedConfig.get(path);
      if (!r) return null;
      try {
        return { stamp: r.stamp, config: JSON.parse(r.config) as Record<string, ConfigValue>, error: r.error };
      } catch {
        return null;
      }
    },
    storeConfig: (path: string, c: StoredConfig): void => void st.storeConfig.run(path, c.stamp, JSON.stringify(c.config), c.error),
    /** Folds points newer than the stored summary into it (one indexed range read per run with new points). */
    summary: (runId: string): MetricSummary => {
      let s: SummaryRow = st.summary.get(runId) ?? EMPTY_SUMMARY;
      const newest = maxSeq(runId);
      if (newest !== null && newest > s.last_seq) s = fold(runId, s, newest);
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
    },
    /** The metrics tailer replaced a run's points (reset): the folded summary no longer describes them. */
    dropSummary: (runId: string): void => void st.dropSummary.run(runId),
    /** Newest point of a run (an index lookup): tells a cached curve whether it is still current. */
    maxSeq,
    curve: (runId: string, metric: CurveMetric): CurveRow[] => st.curve[metric].all(runId),
    /** Columns of gpu_samples as they are now: the GPU domain owns that table and may reshape it. */
    gpuSampleColumns: (): Set<string> => {
      try {
        return new Set(st.gpuSampleColumns.all().map((r) => r.name));
      } catch {
        return new Set();
      }
    },
    powerSamples: (uuid: string, from: number, to: number, hasResolution: boolean): PowerRow[] => powerRead(hasResolution).all(uuid, from, to),
    insertSpotCheck: (s: StoredSpotCheck): void =>
      void st.insertSpotCheck.run(s.id, s.runId, s.file, s.status, s.total, s.done, s.createdAt),
    saveItem: (checkId: string, it: SpotCheckItem): void =>
      void st.saveItem.run(
        checkId,
        it.index,
        it.prompt,
        it.expected,
        it.answer,
        it.exact ? 1 : 0,
        it.contains ? 1 : 0,
        it.rougeL,
        it.ttftMs,
        it.totalMs,
        it.tokens,
        it.tokensPerSec,
        it.error,
      ),
    /** Recomputes the check's aggregate columns from its items (the single source of truth). */
    updateSpotCheck: (id: string, status: SpotCheckSummary['status'], error: string | null): void =>
      void st.updateSpotCheck.run(status, error, id, id, id, id, id, id, id, id),
    spotCheck: (id: string): StoredSpotCheck | null => {
      const r = st.spotCheck.get(id);
      return r ? spotFromRow(r) : null;
    },
    /** The newest spot-check of every run, keyed by run id. */
    latestSpotChecks: (): Map<string, SpotCheckSummary> => new Map(st.latestSpotChecks.all().map((r) => [r.run_id, publicSpotCheck(spotFromRow(r))])),
    items: (checkId: string): SpotCheckItem[] =>
      st.items.all(checkId).map((r) => ({
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
      })),
    /** Checks left "running" by an engine that died: they will not finish; say so instead of spinning forever. */
    failInterrupted: (): void => void st.failInterrupted.run(),
  };
}

export type CompareRepo = ReturnType<typeof createCompareRepo>;

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

function spotFromRow(r: SpotRow): StoredSpotCheck {
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
