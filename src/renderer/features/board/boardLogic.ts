/** Pure board logic (no React, no engine): lane ids, lane order, memory split, reserved-by-estimate, key=value parsing. */
import { memoryClaims, promisedMiB } from '../../../shared/domain/promisedMemory.js';
import { isActiveStatus } from '../../../shared/domain/runState.js';
import type { GpuInfo, GpuProcess } from '../../../shared/types/gpu.js';
import type { Run } from '../../../shared/types/run.js';
import type { LaneId, QueueItem, Task } from '../../../shared/types/task.js';

export const gpuOfLane = (lane: LaneId): string | null => (lane.startsWith('gpu:') ? lane.slice(4) : null);

/** "22 GiB", or one decimal under 10 GiB where the difference matters ("7.5 GiB"). */
export function gib(mib: number | null | undefined): string {
  if (mib === null || mib === undefined || !Number.isFinite(mib)) return '–';
  // A few MiB (a CUDA context, the driver) would read as "0 GiB", which says "nothing" when something is there.
  if (mib > 0 && mib < 103) return '<0.1 GiB';
  const g = mib / 1024;
  return `${g < 10 ? g.toFixed(1).replace(/\.0$/, '') : Math.round(g)} GiB`;
}

/** "22–30 GiB" for an estimate range (one figure when both ends round the same). */
export function gibRange(lowMiB: number, highMiB: number): string {
  const lo = gib(lowMiB);
  const hi = gib(highMiB);
  return lo === hi ? hi : `${lo.replace(/ GiB$/, '')}–${hi}`;
}

/**
 * Items shown under a lane: the started ones first (they hold the card), then the waiting ones in queue order.
 * A multi-GPU item appears in every lane it spans, so a card shows all the work that will land on it.
 */
export function laneItems(queue: QueueItem[], lane: LaneId): QueueItem[] {
  const uuid = gpuOfLane(lane);
  const mine = queue.filter(
    (q) => (q.state === 'queued' || q.state === 'running') && (q.lane === lane || (uuid !== null && q.gpuUuids.includes(uuid))),
  );
  const rank = (q: QueueItem) => (q.state === 'running' ? 0 : 1);
  return mine.sort((a, b) => rank(a) - rank(b) || a.position - b.position || a.createdAt - b.createdAt);
}

/** The waiting items of a lane in order: what up/down and drag-reorder renumber. */
export function queuedIn(queue: QueueItem[], lane: LaneId): QueueItem[] {
  return queue.filter((q) => q.state === 'queued' && q.lane === lane).sort((a, b) => a.position - b.position || a.createdAt - b.createdAt);
}

/** Position to send to board.move for "one up/down"; null when already at that end. */
export function shiftedPosition(queued: QueueItem[], itemId: string, delta: -1 | 1): number | null {
  const i = queued.findIndex((q) => q.id === itemId);
  if (i < 0) return null;
  const j = i + delta;
  return j < 0 || j >= queued.length ? null : j;
}

/** Where an item dropped before `beforeId` (or at the end when null) lands among the lane's waiting items. */
export function dropPosition(queued: QueueItem[], movingId: string, beforeId: string | null): number {
  const others = queued.filter((q) => q.id !== movingId);
  if (beforeId === null) return others.length;
  const i = others.findIndex((q) => q.id === beforeId);
  return i < 0 ? others.length : i;
}

export interface MemorySplit {
  totalMiB: number;
  runsMiB: number;
  otherMiB: number;
  reservedMiB: number;
  freeMiB: number;
}

/**
 * Splits a card's memory into Trainyard runs / other programs / reserved for starting runs / free. "Other" is what the
 * card reports as used minus what attributed run processes hold, so memory of processes nvidia-smi cannot list (another
 * container, the driver) still shows as taken.
 */
export function memorySplit(gpu: GpuInfo, processes: GpuProcess[], reservedMiB: number): MemorySplit | null {
  const total = gpu.memoryTotalMiB;
  if (total === null || total <= 0) return null;
  const used = gpu.memoryUsedMiB ?? (gpu.memoryFreeMiB !== null ? total - gpu.memoryFreeMiB : 0);
  const onCard = processes.filter((p) => p.gpuUuid === gpu.uuid);
  const runs = Math.min(used, onCard.filter((p) => p.runId).reduce((s, p) => s + (p.usedMemoryMiB ?? 0), 0));
  const other = Math.max(0, used - runs);
  const free = Math.max(0, total - used);
  const reserved = Math.min(free, Math.max(0, reservedMiB));
  return { totalMiB: total, runsMiB: runs, otherMiB: other, reservedMiB: reserved, freeMiB: free - reserved };
}

/**
 * Memory promised to live runs on this card that have not allocated it yet (the trainer is still loading), by the rule
 * the scheduler places with (src/shared/domain/promisedMemory.ts): the figure a board run was placed with (a learned OOM
 * floor included), else the run's estimate, minus what its processes already hold there.
 */
export function reservedOn(
  gpu: Pick<GpuInfo, 'uuid' | 'vendor'>,
  runs: readonly Pick<Run, 'id' | 'status' | 'gpuUuids' | 'estimateMiB'>[],
  queue: readonly QueueItem[],
  processes: readonly GpuProcess[],
): number {
  return promisedMiB(gpu, memoryClaims(runs.filter((r) => isActiveStatus(r.status)), queue, processes));
}

/** Trainyard runs on a card with the memory each holds, biggest first. */
export function runsOnCard(uuid: string, processes: GpuProcess[]): { runId: string; usedMiB: number; pids: number[] }[] {
  const by = new Map<string, { runId: string; usedMiB: number; pids: number[] }>();
  for (const p of processes) {
    if (p.gpuUuid !== uuid || !p.runId) continue;
    const r = by.get(p.runId) ?? { runId: p.runId, usedMiB: 0, pids: [] };
    r.usedMiB += p.usedMemoryMiB ?? 0;
    r.pids.push(p.pid);
    by.set(p.runId, r);
  }
  return [...by.values()].sort((a, b) => b.usedMiB - a.usedMiB);
}

/** A typed scalar from what the user typed: numbers, booleans and null as YAML reads them, everything else a string. */
export function parseScalar(raw: string): unknown {
  const s = raw.trim();
  if (s === '') return '';
  if (/^(true|false)$/i.test(s)) return s.toLowerCase() === 'true';
  if (/^(null|~)$/i.test(s)) return null;
  if (/^[-+]?(\d+\.?\d*|\.\d+)(e[-+]?\d+)?$/i.test(s)) return Number(s);
  if (/^(["']).*\1$/.test(s)) return s.slice(1, -1);
  return s;
}

/** Errors are codes (the view translates them); `key` names the offending key where there is one. */
export type ParseError = 'noEquals' | 'badKey' | 'dupKey' | 'noValues' | 'emptyValue' | 'repeated';
export type ParseResult<T> = { ok: true; value: T } | { ok: false; error: ParseError; line?: number; key?: string };

const KEY = /^[A-Za-z_][A-Za-z0-9_.-]*$/;

/** "key=value" per line (or separated by ';') → the `set` of tasks.clone; blank lines and # comments are skipped. */
export function parseEdits(text: string): ParseResult<Record<string, unknown>> {
  const out: Record<string, unknown> = {};
  const lines = text.split(/\n|;/);
  for (let i = 0; i < lines.length; i++) {
    const line = lines[i]!.trim();
    if (!line || line.startsWith('#')) continue;
    const eq = line.search(/[=:]/);
    if (eq <= 0) return { ok: false, error: 'noEquals', line: i + 1 };
    const key = line.slice(0, eq).trim();
    if (!KEY.test(key)) return { ok: false, error: 'badKey', key, line: i + 1 };
    if (key in out) return { ok: false, error: 'dupKey', key, line: i + 1 };
    out[key] = parseScalar(line.slice(eq + 1));
  }
  return { ok: true, value: out };
}

/** "1e-4, 2e-4, 5e-4" → typed values for one sweep axis; refuses empties and repeats. */
export function parseValueList(text: string): ParseResult<unknown[]> {
  const parts = text.split(',').map((p) => p.trim());
  if (parts.every((p) => p === '')) return { ok: false, error: 'noValues' };
  if (parts.some((p) => p === '')) return { ok: false, error: 'emptyValue' };
  if (new Set(parts).size !== parts.length) return { ok: false, error: 'repeated' };
  return { ok: true, value: parts.map(parseScalar) };
}

export const isConfigKey = (key: string): boolean => KEY.test(key.trim());

/** How many tasks a grid makes (the product of its axes). */
export const gridSize = (axes: { values: unknown[] }[]): number => axes.reduce((n, a) => n * a.values.length, axes.length ? 1 : 0);

/** Cache key of a fit check: the same task over the same card(s). */
export const fitKey = (taskId: string, lane: LaneId, gpuUuids: string[] = []): string => `${taskId}|${lane}|${[...gpuUuids].sort().join(',')}`;

/** Only runnable tasks go on the board: no errors, and a training, evaluation or export (merge) config. */
export function canEnqueue(task: Task): boolean {
  return task.ok && task.kind !== 'infer';
}
