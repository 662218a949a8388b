/** Board and library actions the views call: each reports a refusal from the engine as a toast the user can read. */
import type { LaneId, QueueItem } from '../../../shared/types/task.js';
import { errorMessage } from '../../i18n/errorMessage.js';
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
export async function enqueueTask(taskId: string, lane: LaneId, opts: { gpuCount?: number; gpuUuids?: string[]; position?: number } = {}): Promise<QueueItem | null> {
  return attempt('board.err.enqueue', () => useBoard.getState().enqueue(taskId, lane, opts));
}

/** Library calls: read the list again so the change shows even before tasks.changed arrives. */
export const reloadTasks = (): void => void useTasks.getState().load().catch(() => undefined);

/** The extra GPUs a drop onto `uuid` takes: the rest of the selection when the card is selected, else none. */
export function selectionFor(uuid: string | null): string[] {
  const sel = useBoard.getState().selected;
  return uuid !== null && sel.includes(uuid) && sel.length > 1 ? sel.filter((u) => u !== uuid) : [];
}

// The store shows the board each of these answers with; here a refusal becomes a toast.
export const moveItem = (itemId: string, lane: LaneId, position: number) => attempt('board.err.move', () => useBoard.getState().move(itemId, lane, position));
export const cancelItem = (itemId: string) => attempt('board.err.cancel', () => useBoard.getState().cancel(itemId));
export const runNext = (itemId: string) => attempt('board.err.runNext', () => useBoard.getState().runNext(itemId));
export const pauseLane = (lane: LaneId, paused: boolean) => attempt('board.err.pause', () => useBoard.getState().pauseLane(lane, paused));
export async function removeTask(id: string): Promise<null> {
  await attempt('board.err.remove', () => useTasks.getState().remove(id));
  reloadTasks();
  return null;
}

/** Sends what was dropped or picked to tasks.import; the result (imported N, skipped M with reasons) shows in the library. */
export async function importGathered(g: Gathered): Promise<ImportResult | null> {
  const tasks = useTasks.getState();
  const r = await attempt('board.err.import', () => (g.paths.length ? tasks.importPaths(g.paths) : tasks.importFiles(g.files, g.skipped)));
  reloadTasks();
  return r;
}

/** "Try with the demo trainer": switch the trainer, then load the bundled examples. */
export async function tryDemo(): Promise<void> {
  const ok = await attempt('board.err.demo', () => useSettings.getState().update({ trainer: { kind: 'demo' } }));
  if (ok === null) return;
  const tasks = await attempt('board.err.demo', () => useTasks.getState().loadExamples());
  reloadTasks();
  if (tasks) localToast('success', translate(lang(), 'board.demo.loaded', { n: tasks.length }));
}
