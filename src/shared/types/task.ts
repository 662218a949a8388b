/** Task domain types: an imported LLaMA-Factory config, its validation result and VRAM estimate; lanes and queue items. */

export type IssueSeverity = 'error' | 'warning' | 'info';

export interface ValidationIssue {
  severity: IssueSeverity;
  message: string;
  key?: string;
  line?: number;
  column?: number;
  /** e.g. the key the user probably meant. */
  suggestion?: string;
}

/** What a config asks LLaMA-Factory to do: decides which keys are required and whether the board can run it. */
export type ConfigKind = 'train' | 'eval' | 'infer' | 'export' | 'unknown';

export interface VramEstimate {
  lowMiB: number;
  highMiB: number;
  /** Parts that add up to the middle of the range, for the tooltip. */
  breakdown: { label: string; mib: number }[];
  /** Parameter count the estimate used (null when the model config could not be read). */
  params: number | null;
  notes: string[];
  /** Ratio measured/estimated of past finished runs of similar configs (null when none). */
  calibration: { runs: number; meanRatio: number; meanAbsErrorPct?: number } | null;
  /** Per-GPU figure: how many GPUs the estimate assumed (ZeRO shards across them). */
  gpuCount?: number;
}

export interface Task {
  id: string;
  name: string;
  /** Where it was imported from (null when created in the app). */
  sourcePath: string | null;
  /** The trainer runs here (relative paths in the config resolve against it). */
  workDir: string;
  yaml: string;
  issues: ValidationIssue[];
  ok: boolean;
  /** train / eval (do_eval, do_predict) / infer / export: only train and eval go on the board. */
  kind?: ConfigKind;
  estimate: VramEstimate | null;
  sweepId: string | null;
  tags: string[];
  createdAt: number;
  updatedAt: number;
}

export type LaneId = 'auto' | `gpu:${string}`;

export type QueueItemState = 'queued' | 'running' | 'done' | 'cancelled';

export interface QueueItem {
  id: string;
  taskId: string;
  lane: LaneId;
  /** How many GPUs the run needs (a multi-GPU run is one queue item spanning lanes). */
  gpuCount: number;
  /** Explicit extra GPUs for a drop onto a multi-selection (uuids). */
  gpuUuids: string[];
  position: number;
  state: QueueItemState;
  /** Why it is waiting, or the suggested change after an early OOM. */
  note: string | null;
  runId: string | null;
  createdAt: number;
  /** How many times it went back to the queue after an early out-of-memory. */
  attempts?: number;
  /** Memory floor learned from an early OOM (MiB per GPU); overrides a lower estimate. */
  needMiB?: number | null;
}

export interface Lane {
  id: LaneId;
  paused: boolean;
}
