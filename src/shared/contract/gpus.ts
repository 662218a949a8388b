/** Contract of the GPU domain: the current snapshot, a card's history, and the live sample stream. */
import { z } from 'zod';
import { method, topic } from '../rpc/define.js';
import type { GpuHistoryPoint, GpuSnapshot } from '../types/gpu.js';

export const gpuMethods = {
  'gpus.list': method<GpuSnapshot>()(z.object({}).strict()),
  'gpus.history': method<GpuHistoryPoint[]>()(
    z
      .object({
        uuid: z.string().min(1).max(200),
        /** ms since epoch; default: one hour ago. */
        since: z.number().int().nonnegative().optional(),
        until: z.number().int().nonnegative().optional(),
        maxPoints: z.number().int().min(10).max(10_000).optional(),
      })
      .strict(),
  ),
};

export const gpuTopics = {
  'gpus.snapshot': topic<GpuSnapshot>()(z.object({}).strict()),
};
