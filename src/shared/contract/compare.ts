/** Contract of comparison and evaluation: the run table, overlaid curves, predict and spot-check evaluations, export. */
import { z } from 'zod';
import { method, topic } from '../rpc/define.js';
import type { CompareRow, CompareTable, CurveSeries, EvalDatasets, PredictDetail, SpotCheckDetail, SpotCheckSummary } from '../types/compare.js';
import type { Run } from '../types/run.js';

const runId = z.string().min(1).max(100);
const runIds = z.array(runId).min(1).max(50);
const statuses = z.enum(['starting', 'running', 'stopping', 'finished', 'failed', 'stopped', 'lost']);

export const compareFilter = z
  .object({
    status: z.array(statuses).max(7).optional(),
    tag: z.string().max(60).optional(),
    taskId: z.string().max(100).optional(),
    sweepId: z.string().max(100).optional(),
    from: z.number().int().nonnegative().optional(),
    to: z.number().int().nonnegative().optional(),
    text: z.string().max(200).optional(),
  })
  .strict();

const metric = z.enum(['loss', 'eval_loss', 'lr']);
const axis = z.enum(['step', 'epoch', 'tokens', 'time']);

export const compareMethods = {
  /** Every train run matching the filter, with metrics, results, energy, evaluations and the flattened config. */
  'compare.table': method<CompareTable>()(z.object({ filter: compareFilter.optional() }).strict()),
  /** The current rows of a few runs: the live table updates these instead of reloading every row. */
  'compare.rows': method<CompareRow[]>()(z.object({ runIds: z.array(runId).min(1).max(200) }).strict()),
  /** The datasets a run can be evaluated on (its dataset_info.json), the ones it trained on flagged, and its held-out split. */
  'compare.datasets': method<EvalDatasets>()(z.object({ runId }).strict()),
  /** One metric of several runs, downsampled with LTTB to at most maxPoints per run. */
  'compare.curves': method<CurveSeries[]>()(
    z.object({ runIds, metric, maxPoints: z.number().int().min(10).max(20_000).optional() }).strict(),
  ),
  /** Starts LLaMA-Factory predict on the run's adapter (kind 'predict', output in <output_dir>/predict-<n>). */
  'compare.predict': method<Run>()(
    z
      .object({
        runId,
        /** A dataset of dataset_info.json; omitted: the held-out split of the training data (the run's val_size). */
        evalDataset: z.string().min(1).max(500).optional(),
        maxSamples: z.number().int().min(1).max(1_000_000).optional(),
        gpuIndex: z.number().int().min(0).max(63).optional(),
      })
      .strict(),
  ),
  /** The newest predict evaluation of a run: figures and a page of generated_predictions.jsonl. */
  'compare.predictions': method<PredictDetail>()(
    z.object({ runId, offset: z.number().int().min(0).optional(), limit: z.number().int().min(1).max(1000).optional() }).strict(),
  ),
  /** Starts a spot-check: a test file (JSON/JSONL, alpaca or {prompt, expected}) sent to the run's chat server. */
  'compare.spotCheck': method<SpotCheckSummary>()(
    z
      .object({
        runId,
        /** A path on the engine's machine, or the file's text (browser upload) with its name. */
        path: z.string().min(1).max(4096).optional(),
        content: z.string().max(20_000_000).optional(),
        fileName: z.string().max(500).optional(),
        maxTokens: z.number().int().min(1).max(4096).optional(),
      })
      .strict(),
  ),
  /** Stops a running spot-check; it ends 'failed' with "Stopped.", keeping the answers so far. Returns it as it is now. */
  'compare.cancelSpotCheck': method<SpotCheckSummary>()(z.object({ id: z.string().min(1).max(100) }).strict()),
  'compare.spotCheckDetail': method<SpotCheckDetail>()(z.object({ id: z.string().min(1).max(100) }).strict()),
  /** The table (same filter, same columns as shown) as CSV text. */
  'compare.exportCsv': method<{ csv: string; fileName: string }>()(
    z.object({ filter: compareFilter.optional(), runIds: z.array(runId).max(5000).optional(), onlyDiffering: z.boolean().optional() }).strict(),
  ),
  /** A self-contained HTML report: the table and the chosen runs' curves as inline SVG. */
  'compare.exportHtml': method<{ html: string; fileName: string }>()(
    z
      .object({
        runIds,
        onlyDiffering: z.boolean().optional(),
        axis: axis.optional(),
        smoothing: z.number().min(0).max(0.999).optional(),
        logScale: z.boolean().optional(),
      })
      .strict(),
  ),
};

export const compareTopics = {
  /** A run's comparison figures changed (an evaluation progressed or finished); refetch the table. */
  'compare.changed': topic<{ runId: string; spotCheck?: SpotCheckSummary }>()(z.object({}).strict()),
};
