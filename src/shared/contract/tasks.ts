/** Contract of tasks and the board: import/validate/edit configs, sweeps, lanes and their queues. */
import { z } from 'zod';
import { LANE_ID_RE } from '../domain/lanes.js';
import type { Message } from '../messages/message.js';
import { method, topic } from '../rpc/define.js';
import type { CatalogueInfo, ImportSkip, Lane, MemoryFixAdvice, QueueItem, Task, ValidationIssue } from '../types/task.js';

const id = z.string().min(1).max(100);
const laneId = z.string().regex(LANE_ID_RE, 'a lane is auto, gpu:<uuid> or slurm:<partition>, or <box>/<one of those> on a remote engine');
/** What a task asks of sbatch on a Slurm lane (each a single Slurm token: no spaces, nothing a shell would read). */
const slurmToken = z.string().regex(/^[A-Za-z0-9_.:+-]{1,64}$/);
const slurmOptions = z
  .object({ nodes: z.number().int().min(1).max(64).optional(), timeLimit: slurmToken.nullable().optional(), account: slurmToken.nullable().optional(), qos: slurmToken.nullable().optional() })
  .strict();

export interface BoardState {
  lanes: Lane[];
  queue: QueueItem[];
}

export interface FitCheck {
  fits: boolean;
  /** Human reason, e.g. "needs 22–30 GiB, 18 GiB free (other programs use 60 GiB)". */
  reason: string;
  /** The reason as a Message where it has one (a config with errors: its first issue); the renderer prefers it. */
  said?: Message;
  neededMiB: number | null;
  freeMiB: number | null;
}

/** What Settings → Trainer shows about the LLaMA-Factory behind the chosen llamafactory-cli. */
export interface TrainerInfo {
  /** Settings → Trainer → LLaMA-Factory folder as set (null: found automatically). */
  llamafactoryDir: string | null;
  /** The checkout found behind llamafactory-cli (its editable install, or around it). */
  found: { path: string; how: 'editable' | 'around-cli' } | null;
  /** The key list tasks are validated with, and whether the installed LLaMA-Factory has been asked yet. */
  catalogue: CatalogueInfo & { status: 'bundled' | 'reading' | 'installed' | 'failed'; python: string | null; message: string | null };
}

/** A config key as the editor offers it: completion, hover docs and the default it would take. */
export interface EditorKey {
  key: string;
  type: string;
  default?: unknown;
  choices?: unknown[];
  help?: string;
}

/** The user's own file behind a task, with the hash a save must match (nobody changed it meanwhile). */
export interface TaskSource {
  path: string;
  text: string;
  hash: string;
}

export const taskMethods = {
  'tasks.list': method<Task[]>()(z.object({}).strict()),
  /**
   * Import files given by absolute path (file picker, folder) or by content (browser drop). A skipped file's `said`
   * words `reason` for the user; an older engine sends only `reason`.
   */
  'tasks.import': method<{ tasks: Task[]; skipped: ImportSkip[] }>()(
    z
      .object({
        paths: z.array(z.string().min(1).max(4096)).max(500).optional(),
        files: z
          .array(z.object({ name: z.string().min(1).max(500), content: z.string().max(2_000_000) }))
          .max(500)
          .optional(),
      })
      .strict(),
  ),
  'tasks.update': method<Task>()(
    z.object({ id, name: z.string().min(1).max(200).optional(), yaml: z.string().max(2_000_000).optional() }).strict(),
  ),
  'tasks.setValue': method<Task>()(z.object({ id, key: z.string().min(1).max(200), value: z.unknown() }).strict()),
  'tasks.clone': method<Task>()(
    z.object({ id, name: z.string().min(1).max(200).optional(), set: z.record(z.string(), z.unknown()).optional() }).strict(),
  ),
  'tasks.sweep': method<Task[]>()(
    z
      .object({
        id,
        grid: z
          .array(z.object({ key: z.string().min(1).max(200), values: z.array(z.unknown()).min(1).max(50) }))
          .min(1)
          .max(5),
      })
      .strict(),
  ),
  'tasks.remove': method<null>()(z.object({ id }).strict()),
  /** The keys of the catalogue tasks are validated with (the editor's completion and hover docs). */
  'tasks.keys': method<EditorKey[]>()(z.object({}).strict()),
  /** The file a task was imported from, as it is on disk now. */
  'tasks.source': method<TaskSource>()(z.object({ id }).strict()),
  /** Writes the editor's text to the task's file (refused when the file changed since `hash`) and to the task. */
  'tasks.saveSource': method<{ task: Task; source: TaskSource }>()(
    z.object({ id, yaml: z.string().max(2_000_000), hash: z.string().regex(/^[0-9a-f]{64}$/) }).strict(),
  ),
  /** One-click memory fixes for a task, estimated against a run's cards (runId: it ran out of memory there) or the largest card. */
  'tasks.memoryFixes': method<MemoryFixAdvice>()(z.object({ id, runId: id.optional() }).strict()),
  /** Issues of a text; with `id`, as that task would run it (its folder resolves relative paths). */
  'tasks.validateText': method<ValidationIssue[]>()(z.object({ yaml: z.string().max(2_000_000), name: z.string().max(500).optional(), id: id.optional() }).strict()),
  'tasks.loadExamples': method<Task[]>()(z.object({}).strict()),
  'tasks.trainerInfo': method<TrainerInfo>()(z.object({}).strict()),
  'board.get': method<BoardState>()(z.object({}).strict()),
  'board.enqueue': method<QueueItem>()(
    z
      .object({
        taskId: id,
        lane: laneId,
        gpuCount: z.number().int().min(1).max(16).optional(),
        gpuUuids: z.array(z.string().max(200)).max(16).optional(),
        position: z.number().int().nonnegative().optional(),
        slurm: slurmOptions.optional(),
      })
      .strict(),
  ),
  'board.move': method<BoardState>()(z.object({ itemId: id, lane: laneId, position: z.number().int().nonnegative() }).strict()),
  'board.cancel': method<BoardState>()(z.object({ itemId: id }).strict()),
  'board.runNext': method<BoardState>()(z.object({ itemId: id }).strict()),
  'board.retry': method<BoardState>()(z.object({ runId: id }).strict()),
  'board.pauseLane': method<BoardState>()(z.object({ lane: laneId, paused: z.boolean() }).strict()),
  'board.fit': method<FitCheck>()(
    z.object({ taskId: id, lane: laneId, gpuUuids: z.array(z.string().max(200)).max(16).optional() }).strict(),
  ),
};

export const taskTopics = {
  'tasks.changed': topic<{ tasks: Task[] }>()(z.object({}).strict()),
  'board.changed': topic<BoardState>()(z.object({}).strict()),
};
