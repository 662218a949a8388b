/** Contract of tasks and the board: import/validate/edit configs, sweeps, lanes and their queues. */
import { z } from 'zod';
import { method, topic } from '../rpc/define.js';
import type { Lane, QueueItem, Task, ValidationIssue } from '../types/task.js';

const id = z.string().min(1).max(100);
const laneId = z.union([z.literal('auto'), z.string().regex(/^gpu:[A-Za-z0-9:_.-]{1,200}$/)]);

export interface BoardState {
  lanes: Lane[];
  queue: QueueItem[];
}

export interface FitCheck {
  fits: boolean;
  /** Human reason, e.g. "needs 22–30 GiB, 18 GiB free (other programs use 60 GiB)". */
  reason: string;
  neededMiB: number | null;
  freeMiB: number | null;
}

export const taskMethods = {
  'tasks.list': method<Task[]>()(z.object({}).strict()),
  /** Import files given by absolute path (file picker, folder) or by content (browser drop). */
  'tasks.import': method<{ tasks: Task[]; skipped: { name: string; reason: string }[] }>()(
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
  'tasks.validateText': method<ValidationIssue[]>()(z.object({ yaml: z.string().max(2_000_000), name: z.string().max(500).optional() }).strict()),
  'tasks.loadExamples': method<Task[]>()(z.object({}).strict()),
  'board.get': method<BoardState>()(z.object({}).strict()),
  'board.enqueue': method<QueueItem>()(
    z
      .object({
        taskId: id,
        lane: laneId,
        gpuCount: z.number().int().min(1).max(16).optional(),
        gpuUuids: z.array(z.string().max(200)).max(16).optional(),
        position: z.number().int().nonnegative().optional(),
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
