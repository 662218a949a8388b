/** The board: GPU cards as lanes (plus Auto) with their queues, the task library beside them, file drop, and card details. */
import type { GpuProcess } from '../../../shared/types/gpu.js';
import type { LaneId, Task } from '../../../shared/types/task.js';
import { useT } from '../../i18n/index.js';
import { useBoard } from '../../stores/board.js';
import { useGpus } from '../../stores/gpus.js';
import { useTasks } from '../../stores/tasks.js';
import { GpuDetail } from '../gpus/GpuDetail.js';
import { GpuNoticeBanner } from '../gpus/GpuNoticeBanner.js';
import { gpuOfLane } from './boardLogic.js';
import { EmptyBoard } from './EmptyBoard.js';
import { Lane } from './Lane.js';
import { useLaneChoices } from './laneChoices.js';
import { TaskLibrary } from './TaskLibrary.js';
import './board.css';
import '../gpus/gpus.css';

const NO_PROCS: GpuProcess[] = [];

export function BoardView(): React.JSX.Element {
  const t = useT();
  const snapshot = useGpus((s) => s.snapshot);
  const { board, selected, detailUuid } = useBoard();
  const tasks = useTasks((s) => s.tasks);
  const tasksLoaded = useTasks((s) => s.loaded);
  const choices = useLaneChoices();
  const taskMap = new Map<string, Task>(tasks.map((tk) => [tk.id, tk]));
  // Name runs on cards after their task (processes only know the run id).
  const runNames = new Map<string, string>();
  for (const q of board.queue) if (q.runId) runNames.set(q.runId, taskMap.get(q.taskId)?.name ?? q.runId);

  const gpus = snapshot?.gpus ?? [];
  const laneIds: LaneId[] = ['auto', ...gpus.map((g) => `gpu:${g.uuid}` as LaneId)];
  for (const l of board.lanes) if (!laneIds.includes(l.id)) laneIds.push(l.id);
  const laneOf = new Map(board.lanes.map((l) => [l.id, l]));

  return (
    <div className="board" data-testid="board-view" onKeyDown={(e) => e.key === 'Escape' && selected.length && useBoard.getState().clearSelection()}>
      <h1 className="page-title">
        {t('board.title')}
        <span className="spacer" />
        {selected.length > 0 && (
          <span className="selection-note" data-testid="selection-note">
            {t('board.selection', { n: selected.length })}
            <button type="button" className="button small" onClick={() => useBoard.getState().clearSelection()}>
              {t('board.selectionClear')}
            </button>
          </span>
        )}
      </h1>
      {snapshot?.notice && <GpuNoticeBanner notice={snapshot.notice} />}
      {tasksLoaded && tasks.length === 0 && <EmptyBoard />}
      <div className="board-grid">
        <div className="lanes" data-testid="lanes">
          {!snapshot && <p className="muted">{t('gpus.detecting')}</p>}
          {laneIds.map((id) => {
            const uuid = gpuOfLane(id);
            return (
              <Lane
                key={id}
                lane={laneOf.get(id) ?? { id, paused: false }}
                gpu={gpus.find((g) => g.uuid === uuid) ?? null}
                queue={board.queue}
                tasks={taskMap}
                processes={snapshot?.processes ?? NO_PROCS}
                runNames={runNames}
                choices={choices}
              />
            );
          })}
        </div>
        <TaskLibrary />
      </div>
      <p className="muted small board-hint">{t('board.hint')}</p>
      {detailUuid && <GpuDetail uuid={detailUuid} />}
    </div>
  );
}
