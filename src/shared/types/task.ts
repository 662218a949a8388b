/** Task domain types: an imported LLaMA-Factory config, its validation result and VRAM estimate; lanes and queue items. */

import type { Message } from '../messages/message.js';
import type { SlurmRequest } from './slurm.js';

export type IssueSeverity = 'error' | 'warning' | 'info';

export interface ValidationIssue {
  severity: IssueSeverity;
  /** What the renderer words in the user's language (`say`). */
  said: Message;
  /** `said.text`: the English the CLI prints, logs keep and an older renderer shows. */
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
  /** Parts that add up to the middle of the range, for the tooltip (`label` is `said.text`, in English). */
  breakdown: { label: string; said: Message; mib: number }[];
  /** Parameter count the estimate used (null when the model config could not be read). */
  params: number | null;
  /** In English, for logs and older renderers; `notesSaid` is the same, for the renderer to word. */
  notes: string[];
  notesSaid: Message[];
  /** Ratio measured/estimated of past finished runs of similar configs (null when none). */
  calibration: { runs: number; meanRatio: number; meanAbsErrorPct?: number } | null;
  /** Per-GPU figure: how many GPUs the estimate assumed (ZeRO shards across them). */
  gpuCount?: number;
}

/**
 * Why a task runs in its folder (core/configs/workDir.ts): the LLaMA-Factory folder from Settings, one found around the
 * config or behind llamafactory-cli, else the config's own folder, or Trainyard's tasks folder for browser drops.
 */
export type WorkDirSource = 'settings' | 'near-config' | 'near-cli' | 'config-folder' | 'tasks-folder';

/** Which key list validated the task: the installed LLaMA-Factory's own, or the list bundled with Trainyard. */
export interface CatalogueInfo {
  origin: 'installed' | 'bundled';
  llamafactory: string | null;
  transformers: string | null;
}

/** A file an import passed over: `reason` in English; `said` the same as a Message (absent from an older engine). */
export interface ImportSkip {
  name: string;
  reason: string;
  said?: Message;
}

export interface Task {
  id: string;
  name: string;
  /** Where it was imported from (null when created in the app). */
  sourcePath: string | null;
  /** The trainer runs here (relative paths in the config resolve against it). */
  workDir: string;
  /** Why workDir is that folder; absent on tasks built before the rule existed. */
  workDirSource?: WorkDirSource;
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

/** A lane of this engine, or `<box>/<lane>` of a remote engine (src/shared/domain/lanes.ts). */
export type LocalLaneId = 'auto' | `gpu:${string}` | `slurm:${string}`;
export type LaneId = LocalLaneId | `${string}/${LocalLaneId}`;

export type QueueItemState = 'queued' | 'running' | 'done' | 'cancelled';

/**
 * Where a queue item's run writes (or will write): the config's own output_dir, or a distinct `<output_dir>-N` when
 * another run would write the same folder, shown on the card before the run starts.
 * reason: config = the config's folder as written; shared = another active or earlier-queued run claims it; used = a
 * finished run's results are there (a re-run); default = the config has no output_dir, or one inside Trainyard's own
 * read-only resources (a folder under Trainyard's data dir, named at start: path null); running = the item's run is under way and writes to `path`.
 */
export interface PlannedOutput {
  path: string | null;
  /** The config's output_dir resolved against the task's working folder (null when it has none). */
  configured: string | null;
  reason: 'config' | 'shared' | 'used' | 'default' | 'running';
}

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
  /** Why it is waiting, or the suggested change after an early OOM; in English, for logs and the CLI. */
  note: string | null;
  /** The same note for the renderer to word in the user's language (absent when there is no note). */
  noteSaid?: Message;
  runId: string | null;
  createdAt: number;
  /** How many times it went back to the queue after an early out-of-memory. */
  attempts?: number;
  /** Memory floor learned from an early OOM (MiB per GPU); overrides a lower estimate. */
  needMiB?: number | null;
  /** For a Slurm lane: what sbatch is asked for beyond the GPU count (nodes, time, account, QoS); null = Settings → Slurm. */
  slurm?: Partial<Omit<SlurmRequest, 'gpusPerNode'>> | null;
  /** Its output folder (filled in by the board's state, not stored). */
  output?: PlannedOutput | null;
}

export interface Lane {
  id: LaneId;
  paused: boolean;
}

/**
 * One-click changes that lower a training run's memory (core/configs/memoryFixes.ts): halve the per-device batch and
 * raise gradient accumulation to keep the effective batch, turn gradient checkpointing back on, DeepSpeed ZeRO-3 (with
 * CPU offload), QLoRA (4-bit base weights).
 */
export type MemoryFixId = 'halve-batch' | 'gradient-checkpointing' | 'zero3' | 'zero3-offload' | 'qlora';

export interface MemoryFixOption {
  /** The fixes applied together (one for each single option; every applicable one for the combination). */
  fixes: MemoryFixId[];
  /** The keys the new task's YAML sets; everything else (comments included) stays as it is. */
  set: Record<string, unknown>;
  /** Short, language-neutral suffix for the new task's name, e.g. "bs4-ga8". */
  suffix: string;
  /** Estimated per-GPU peak with the change (null when the model's size is unknown). */
  estimate: { lowMiB: number; highMiB: number } | null;
  /** Whether the top of the estimate fits the card(s) less the safety margin (null when there is no estimate). */
  fits: boolean | null;
}

export interface MemoryFixAdvice {
  /** The memory the options are measured against: the smallest of the run's cards, else the largest card here. */
  cardMiB: number | null;
  gpuCount: number;
  /** The estimate as the config stands (after scaling to a measured out-of-memory, when there was one). */
  current: { lowMiB: number; highMiB: number } | null;
  /** How much the estimates were scaled up because the run ran out of memory on a card they said it would fit (1 = not). */
  oomScale: number;
  options: MemoryFixOption[];
  /** Every applicable fix at once: when even this does not fit, no listed fix will. */
  combined: MemoryFixOption | null;
}
