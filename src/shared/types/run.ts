/** Run domain types: a trainer (or inference server) process with its placement, status, progress and failure. */
import type { Message } from '../messages/message.js';
import type { SlurmJob } from './slurm.js';

/** `export`: `llamafactory-cli export` merging a run's adapter into its base model; its outputDir is the export_dir. */
export type RunKind = 'train' | 'predict' | 'api' | 'export';
export type RunStatus = 'starting' | 'running' | 'stopping' | 'finished' | 'failed' | 'stopped' | 'lost';

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
  /** The line of the log that told us (verbatim), or a summary. */
  message: Message;
  /** What to change, in the user's terms. */
  suggestion: Message;
  /** What happened after (a lost run's leftover processes being stopped). */
  note?: Message;
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
  /** The Slurm job when the run was submitted to a Slurm lane (its state follows the job). */
  slurm?: SlurmJob | null;
  /** A run of a remote engine (id `<box>/<id>`): the box, and whether it answers now (unreachable: the status is the last seen). */
  box?: string;
  boxState?: 'connecting' | 'reachable' | 'unreachable' | 'unauthorized';
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
  /** Tokens per second as the trainer reports it (LLaMA-Factory's `throughput`). */
  throughput?: number | null;
  /** Other numeric fields (accuracy, reward, grad_norm, vram_*, eval_* …). */
  extra?: Record<string, number>;
}
