/** Drop-target behaviour of a lane: accepts dragged tasks (enqueue, with a fit check while hovering) and queue items (move). */
import { useState } from 'react';
import type { LaneId } from '../../../shared/types/task.js';
import { useBoard, type DragPayload } from '../../stores/board.js';
import { useTasks } from '../../stores/tasks.js';
import { enqueueTask, moveItem, selectionFor } from './actions.js';
import { canEnqueue, gpuOfLane, queuedIn } from './boardLogic.js';

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

/** Whether this drag is ours and droppable here (a blocked task is not; files are the window's business). */
function accepts(drag: DragPayload): boolean {
  if (!drag) return false;
  if (drag.kind === 'item') return true;
  const task = useTasks.getState().tasks.find((t) => t.id === drag.taskId);
  return !!task && canEnqueue(task);
}

export function useLaneDrop(lane: LaneId) {
  const [over, setOver] = useState(false);
  const uuid = gpuOfLane(lane);
  return {
    over,
    handlers: {
      onDragOver(e: React.DragEvent) {
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
        const drag = payloadOf(e);
        setOver(false);
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
