/** Compare domain types: run-table rows, curve series, predict and spot-check evaluations. */
import type { RunStatus } from './run.js';

/** A config value as shown in the table: scalars as they are, lists/maps as compact JSON text. */
export type ConfigValue = string | number | boolean | null;

/** Figures read from the results files LLaMA-Factory writes in output_dir (all optional: runs differ). */
export interface ResultFigures {
  trainLoss?: number;
  trainRuntimeS?: number;
  trainSamplesPerSec?: number;
  tokensPerSec?: number;
  epoch?: number;
  totalFlos?: number;
  evalLoss?: number;
  evalAccuracy?: number;
  bleu4?: number;
  rouge1?: number;
  rouge2?: number;
  rougeL?: number;
  predictRuntimeS?: number;
  /** Every numeric key of the merged results, as written (slash keys such as `eval_rewards/accuracies` kept). */
  raw: Record<string, number>;
}

export interface SpotCheckSummary {
  id: string;
  status: 'running' | 'finished' | 'failed';
  file: string;
  total: number;
  done: number;
  exactMatch: number | null;
  contains: number | null;
  rougeL: number | null;
  meanTtftMs: number | null;
  meanTotalMs: number | null;
  meanTokensPerSec: number | null;
  error: string | null;
  createdAt: number;
}

export interface CompareRow {
  runId: string;
  name: string;
  status: RunStatus;
  taskId: string | null;
  sweepId: string | null;
  gpuIndices: number[];
  tags: string[];
  notes: string;
  createdAt: number;
  startedAt: number | null;
  endedAt: number | null;
  durationS: number | null;
  finalLoss: number | null;
  minLoss: number | null;
  lastEvalLoss: number | null;
  bestEvalLoss: number | null;
  evalAccuracy: number | null;
  bleu4: number | null;
  rouge1: number | null;
  rouge2: number | null;
  rougeL: number | null;
  tokensPerSec: number | null;
  peakMiB: number | null;
  estimateMiB: number | null;
  energyWh: number | null;
  spotCheck: SpotCheckSummary | null;
  /** Blind side-by-side votes this run got in Chat (null when it was never compared). */
  votes: { wins: number; losses: number; ties: number } | null;
  /** Id of the newest predict run evaluating this one, if any. */
  predictRunId: string | null;
  /** Flattened config (nested maps as dotted keys). Empty with `configError` set when the copy is unreadable. */
  config: Record<string, ConfigValue>;
  configError: string | null;
}

export interface CompareFilter {
  status?: RunStatus[];
  tag?: string;
  taskId?: string;
  sweepId?: string;
  /** ms since epoch, inclusive bounds on created_at. */
  from?: number;
  to?: number;
  text?: string;
}

export interface CompareTable {
  rows: CompareRow[];
  /** Every config key seen in the rows, sorted. */
  configKeys: string[];
  /** Keys whose effective value (the run's own, else LLaMA-Factory's default) is not the same in every row. */
  differingKeys: string[];
  /** LLaMA-Factory's default of the config keys that have one (from the key catalogue): what an unset key means. */
  defaults: Record<string, ConfigValue>;
  /** Values to fill the filter menus with (tasks by id, shown by name). */
  facets: { tags: string[]; tasks: { id: string; name: string }[]; sweeps: string[] };
}

export type CurveMetric = 'loss' | 'eval_loss' | 'lr';
export type CurveAxis = 'step' | 'epoch' | 'tokens' | 'time';

/** One point of a curve; the x of every axis is carried so switching the axis needs no new request. */
export interface CurvePoint {
  step: number;
  epoch: number | null;
  tokens: number | null;
  /** Seconds since the run's first point. */
  time: number | null;
  value: number;
}

export interface CurveSeries {
  runId: string;
  name: string;
  metric: CurveMetric;
  /** Points before downsampling. */
  total: number;
  points: CurvePoint[];
  source: 'store' | 'trainer_state' | 'none';
}

export interface SpotCheckItem {
  index: number;
  prompt: string;
  expected: string;
  answer: string | null;
  exact: boolean;
  contains: boolean;
  rougeL: number;
  ttftMs: number | null;
  totalMs: number | null;
  tokens: number | null;
  tokensPerSec: number | null;
  error: string | null;
}

export interface SpotCheckDetail extends SpotCheckSummary {
  runId: string;
  items: SpotCheckItem[];
}

export interface PredictionRow {
  prompt: string | null;
  label: string;
  predict: string;
}

/** What a run can be evaluated on: the datasets of its dataset_info.json, which it trained on, and its held-out split. */
export interface EvalDatasets {
  datasets: { name: string; training: boolean }[];
  /** The training config's val_size, when it held a part of the training data out (predict can run on that split). */
  valSize: number | null;
  /** Why the list is empty (no dataset_info.json where the run looks for it). */
  problem: string | null;
}

export interface PredictDetail {
  runId: string;
  predictRunId: string | null;
  outputDir: string;
  figures: ResultFigures | null;
  predictions: PredictionRow[];
  totalPredictions: number;
}
