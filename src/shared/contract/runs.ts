/** Contract of the runs domain: list/inspect/stop/restart runs, their metrics, and the live terminal with flow control. */
import { z } from 'zod';
import { method, topic } from '../rpc/define.js';
import type { MetricPoint, Run } from '../types/run.js';

const runId = z.string().min(1).max(100);

export interface RunFile {
  path: string;
  name: string;
  size: number;
  isDir: boolean;
}

/** A TensorBoard Trainyard started for a set of runs (on 127.0.0.1 of the engine's machine). */
export interface TensorBoardInfo {
  id: string;
  runIds: string[];
  url: string;
}

export const runMethods = {
  'runs.list': method<Run[]>()(z.object({ includeApi: z.boolean().optional() }).strict()),
  'runs.get': method<Run>()(z.object({ id: runId }).strict()),
  'runs.stop': method<Run>()(z.object({ id: runId }).strict()),
  'runs.restart': method<Run>()(z.object({ id: runId, resume: z.boolean() }).strict()),
  'runs.metrics': method<MetricPoint[]>()(
    z.object({ id: runId, maxPoints: z.number().int().min(10).max(100_000).optional() }).strict(),
  ),
  /** "Export merged model": `llamafactory-cli export` of a finished LoRA run (or one checkpoint) as a run of kind export. */
  'runs.export': method<Run>()(
    z
      .object({
        id: runId,
        checkpoint: z.string().regex(/^checkpoint-\d{1,12}$/).optional(),
        exportSize: z.number().int().min(1).max(100).optional(),
        exportDevice: z.enum(['cpu', 'auto']).optional(),
      })
      .strict(),
  ),
  /** Starts (or finds) TensorBoard over the runs' logging dirs; they must have report_to: tensorboard. */
  'runs.tensorboard': method<TensorBoardInfo>()(z.object({ ids: z.array(runId).min(1).max(20) }).strict()),
  'runs.tensorboards': method<TensorBoardInfo[]>()(z.object({}).strict()),
  'runs.tensorboardStop': method<null>()(z.object({ id: z.string().regex(/^tb_\d{1,5}$/) }).strict()),
  'runs.files': method<RunFile[]>()(z.object({ id: runId }).strict()),
  /** checkpoint-<step> folders of the run's output folder, oldest first: what Resume and Chat can start from. */
  'runs.checkpoints': method<string[]>()(z.object({ id: runId }).strict()),
  'runs.config': method<{ yaml: string; path: string }>()(z.object({ id: runId }).strict()),
  'runs.update': method<Run>()(
    z.object({ id: runId, notes: z.string().max(20_000).optional(), tags: z.array(z.string().max(60)).max(30).optional() }).strict(),
  ),
  'runs.openFolder': method<{ path: string }>()(z.object({ id: runId }).strict()),
  /** Log search over the whole file (the terminal only holds the scrollback). */
  'runs.searchLog': method<{ line: number; text: string }[]>()(
    z.object({ id: runId, query: z.string().min(1).max(500), limit: z.number().int().min(1).max(1000).optional() }).strict(),
  ),
  'terminal.input': method<null>()(z.object({ id: runId, data: z.string().max(65_536) }).strict()),
  'terminal.resize': method<null>()(
    z.object({ id: runId, cols: z.number().int().min(10).max(1000), rows: z.number().int().min(2).max(500) }).strict(),
  ),
  /**
   * Flow control: the viewer has rendered `bytes` more of subscription `sub`, counted as the `data.length` (UTF-16 code
   * units) of the terminal.data events it got. Past ~1M unacknowledged the engine pauses the viewer and, once it catches
   * up, sends a fresh replay instead of the backlog.
   */
  'terminal.ack': method<null>()(z.object({ sub: z.number().int(), bytes: z.number().int().nonnegative() }).strict()),
};

export const runTopics = {
  'runs.changed': topic<Run>()(z.object({}).strict()),
  /** New points of a run; `reset: true` means drop what you have first (the console fallback gave way to trainer_log.jsonl). */
  'runs.metrics': topic<{ runId: string; points: MetricPoint[]; reset?: boolean }>()(z.object({ id: runId }).strict()),
  /** First event replays the log tail (the screen), then live batches (~16 ms / 64 KB). */
  'terminal.data': topic<{ data: string; replay?: boolean }>()(z.object({ id: runId }).strict()),
};
