/** Board and library actions the views call: each reports a refusal from the engine as a toast the user can read. */
import type { LaneId, QueueItem } from '../../../shared/types/task.js';
import { api, errorMessage } from '../../api/client.js';
import { translate, type Language } from '../../i18n/index.js';
import { useBoard } from '../../stores/board.js';
import { useSettings } from '../../stores/settings.js';
import { useTasks, type ImportResult } from '../../stores/tasks.js';
import { localToast } from '../../stores/toasts.js';
import type { Gathered } from './importFiles.js';

const lang = (): Language => useSettings.getState().settings?.language ?? 'en';

/** Runs an engine call; on failure shows "<what failed>: <engine's reason>" and resolves to null. */
export async function attempt<T>(what: Parameters<typeof translate>[1], call: () => Promise<T>): Promise<T | null> {
  try {
    return await call();
  } catch (e) {
    localToast('error', translate(lang(), what), errorMessage(e));
    return null;
  }
}

/** Enqueues a task: onto a multi-selection when the target card is part of it, else onto the lane alone. */
export function enqueueTask(taskId: string, lane: LaneId, opts: { gpuCount?: number; gpuUuids?: string[]; position?: number } = {}): Promise<QueueItem | null> {
  return attempt('board.err.enqueue', () => api.call('board.enqueue', { taskId, lane, ...opts }));
}

/** The extra GPUs a drop onto `uuid` takes: the rest of the selection when the card is selected, else none. */
export function selectionFor(uuid: string | null): string[] {
  const sel = useBoard.getState().selected;
  return uuid !== null && sel.includes(uuid) && sel.length > 1 ? sel.filter((u) => u !== uuid) : [];
}

export const moveItem = (itemId: string, lane: LaneId, position: number) => attempt('board.err.move', () => api.call('board.move', { itemId, lane, position }));
export const cancelItem = (itemId: string) => attempt('board.err.cancel', () => api.call('board.cancel', { itemId }));
export const runNext = (itemId: string) => attempt('board.err.runNext', () => api.call('board.runNext', { itemId }));
export const pauseLane = (lane: LaneId, paused: boolean) => attempt('board.err.pause', () => api.call('board.pauseLane', { lane, paused }));
export const removeTask = (id: string) => attempt('board.err.remove', () => api.call('tasks.remove', { id }));

/** Sends what was dropped or picked to tasks.import; the result (imported N, skipped M with reasons) shows in the library. */
export async function importGathered(g: Gathered): Promise<ImportResult | null> {
  const tasks = useTasks.getState();
  if (g.paths.length) return attempt('board.err.import', () => tasks.importPaths(g.paths));
  return attempt('board.err.import', () => tasks.importFiles(g.files, g.skipped));
}

/** "Try with the demo trainer": switch the trainer, then load the bundled examples. */
export async function tryDemo(): Promise<void> {
  const ok = await attempt('board.err.demo', () => useSettings.getState().update({ trainer: { kind: 'demo' } }));
  if (ok === null) return;
  const tasks = await attempt('board.err.demo', () => api.call('tasks.loadExamples', {}));
  if (tasks) localToast('success', translate(lang(), 'board.demo.loaded', { n: tasks.length }));
}
