/** Run domain types: a trainer (or inference server) process with its placement, status, progress and failure. */

export type RunKind = 'train' | 'predict' | 'api';
export type RunStatus = 'starting' | 'running' | 'stopping' | 'finished' | 'failed' | 'stopped' | 'lost';
export const ACTIVE_RUN_STATUSES: readonly RunStatus[] = ['starting', 'running', 'stopping'];

export type FailureKind =
  | 'oom'
  | 'nccl'
  | 'missing-model'
  | 'missing-dataset'
  | 'address-in-use'
  | 'nan-loss'
  | 'signal'
  | 'config'
  | 'disk-full'
  | 'unknown';

export interface FailureReason {
  kind: FailureKind;
  /** The line of the log that told us, or a summary. */
  message: string;
  /** What to change, in the user's terms. */
  suggestion: string;
}

export interface RunProgress {
  step: number;
  totalSteps: number | null;
  percent: number | null;
  epoch: number | null;
  elapsedSeconds: number | null;
  /** Our own ETA from the recent step rate (LLaMA-Factory's is wrong after a resume). */
  etaSeconds: number | null;
  tokensPerSec: number | null;
  lastLoss: number | null;
  lastEvalLoss: number | null;
}

export interface Run {
  id: string;
  name: string;
  kind: RunKind;
  taskId: string | null;
  sweepId: string | null;
  /** For predict/api runs: the training run they serve or evaluate. */
  parentRunId: string | null;
  status: RunStatus;
  gpuIndices: number[];
  gpuUuids: string[];
  outputDir: string;
  /** Trainyard's folder for this run: config copy, log, exit status. */
  runDir: string;
  configPath: string;
  workDir: string;
  argv: string[];
  env: Record<string, string>;
  masterPort: number | null;
  pid: number | null;
  exitCode: number | null;
  signal: string | null;
  failure: FailureReason | null;
  estimateMiB: number | null;
  peakMiB: number | null;
  progress: RunProgress | null;
  tags: string[];
  notes: string;
  createdAt: number;
  startedAt: number | null;
  endedAt: number | null;
}

/** One metric event of a run, from trainer_log.jsonl or console lines. */
export interface MetricPoint {
  step: number;
  /** 0 for the first segment; +1 each time the run resumed (steps went back). */
  segment: number;
  /** Wall-clock ms since epoch when we read it, or null when unknown (imported logs). */
  at: number | null;
  elapsedSeconds: number | null;
  loss?: number | null;
  evalLoss?: number | null;
  lr?: number | null;
  epoch?: number | null;
  totalTokens?: number | null;
  /** Other numeric fields (accuracy, reward, vram_*, eval_* …). */
  extra?: Record<string, number>;
}
