/** Drop-target behaviour of a lane: tasks (enqueue, with a fit check while hovering), queue items (move), and config files from the file manager (import and enqueue here in one gesture). */
import { useEffect, useState } from 'react';
import type { LaneId } from '../../../shared/types/task.js';
import { translate, type Language } from '../../i18n/index.js';
import { useBoard, type DragPayload } from '../../stores/board.js';
import { useSettings } from '../../stores/settings.js';
import { useTasks } from '../../stores/tasks.js';
import { localToast } from '../../stores/toasts.js';
import { attempt, enqueueTask, moveItem, reloadTasks, selectionFor } from './actions.js';
import { canEnqueue, gpuOfLane, queuedIn } from './boardLogic.js';
import { gatherDrop, importTasks } from './importFiles.js';

export const DRAG_MIME = 'application/x-trainyard';

/** Reads the payload from the drop (survives a drag from another window of the app), else from the store. */
export function payloadOf(e: React.DragEvent): DragPayload {
  try {
    const raw = e.dataTransfer.getData(DRAG_MIME);
    if (raw) return JSON.parse(raw) as DragPayload;
  } catch {
    /* fall through to the store */
  }
  return useBoard.getState().drag;
}

export function startDrag(e: React.DragEvent, payload: NonNullable<DragPayload>): void {
  e.dataTransfer.setData(DRAG_MIME, JSON.stringify(payload));
  e.dataTransfer.effectAllowed = payload.kind === 'task' ? 'copy' : 'move';
  useBoard.getState().setDrag(payload);
}

export function endDrag(): void {
  useBoard.getState().setDrag(null);
}

/** Whether this drag is ours and droppable here (a blocked task is not). */
function accepts(drag: DragPayload): boolean {
  if (!drag) return false;
  if (drag.kind === 'item') return true;
  const task = useTasks.getState().tasks.find((t) => t.id === drag.taskId);
  return !!task && canEnqueue(task);
}

/** Files dragged in from outside the window (no task or queue item of ours is being dragged). */
const draggingFiles = (e: React.DragEvent) => !useBoard.getState().drag && [...e.dataTransfer.types].includes('Files');

const lang = (): Language => useSettings.getState().settings?.language ?? 'en';

/**
 * Config files dropped on a lane: imported like any drop (real paths in the desktop app, contents in a browser),
 * then every task that can run is queued on this lane. A task with errors stays in the library, and the toast says so.
 */
async function importAndQueue(dt: DataTransfer, lane: LaneId, uuid: string | null): Promise<void> {
  // gatherDrop reads the DataTransfer before its first await: it is empty once this event returns.
  const gathered = gatherDrop(dt);
  const tasks = await attempt('board.err.import', async () => importTasks(await gathered));
  reloadTasks();
  if (!tasks?.length) return;
  const extra = selectionFor(uuid);
  let queued = 0;
  for (const t of tasks.filter(canEnqueue)) if (await enqueueTask(t.id, lane, extra.length ? { gpuUuids: extra } : {})) queued++;
  const blocked = tasks.filter((t) => !canEnqueue(t)).map((t) => t.name);
  if (queued) localToast('success', translate(lang(), 'board.drop.queued', { n: queued }));
  if (blocked.length) localToast('warning', translate(lang(), 'board.drop.notQueued', { names: blocked.join(', ') }));
}

/**
 * Clears a drop target's highlight (`active`) when the drag ends anywhere: a drag cancelled with Escape, or dropped
 * outside, may send this target no dragleave (the pointer was last over it), only a dragend to the source.
 * `clear` must not depend on render state (a state setter call): the listeners are set when `active` turns true.
 */
export function useClearOnDragEnd(active: boolean, clear: () => void): void {
  useEffect(() => {
    if (!active) return;
    document.addEventListener('dragend', clear, true);
    document.addEventListener('drop', clear, true);
    // The source may be gone from the page (re-rendered away) before its dragend: the store's drag ending is enough.
    const off = useBoard.subscribe((s, prev) => prev.drag && !s.drag && clear());
    return () => {
      document.removeEventListener('dragend', clear, true);
      document.removeEventListener('drop', clear, true);
      off();
    };
  }, [active]);
}

export function useLaneDrop(lane: LaneId) {
  const [over, setOver] = useState(false);
  useClearOnDragEnd(over, () => setOver(false));
  const uuid = gpuOfLane(lane);
  return {
    over,
    handlers: {
      onDragOver(e: React.DragEvent) {
        if (draggingFiles(e)) {
          e.preventDefault();
          e.dataTransfer.dropEffect = 'copy';
          if (!over) setOver(true);
          return;
        }
        const drag = useBoard.getState().drag;
        if (!accepts(drag)) return;
        e.preventDefault();
        e.dataTransfer.dropEffect = drag!.kind === 'task' ? 'copy' : 'move';
        if (!over) setOver(true);
        if (drag!.kind === 'task') useBoard.getState().requestFit(drag!.taskId, lane, selectionFor(uuid));
      },
      onDragLeave(e: React.DragEvent) {
        if (!e.currentTarget.contains(e.relatedTarget as Node | null)) setOver(false);
      },
      onDrop(e: React.DragEvent) {
        setOver(false);
        if (draggingFiles(e)) {
          // Handled here: the window-wide drop (FileDropOverlay) sees defaultPrevented and does not import again.
          e.preventDefault();
          void importAndQueue(e.dataTransfer, lane, uuid);
          return;
        }
        const drag = payloadOf(e);
        if (!accepts(drag)) return;
        e.preventDefault();
        endDrag();
        if (drag!.kind === 'task') {
          const extra = selectionFor(uuid);
          void enqueueTask(drag!.taskId, lane, extra.length ? { gpuUuids: extra } : {});
        } else {
          // Dropped on the lane itself (not before an item): the end of its waiting items.
          void moveItem(drag!.itemId, lane, queuedIn(useBoard.getState().board.queue, lane).filter((q) => q.id !== drag!.itemId).length);
        }
      },
    },
  };
}
