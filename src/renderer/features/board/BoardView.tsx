/** The board: GPU cards as lanes (plus Auto) with their queues, the task library beside them, file drop, and card details. */
import { lazy, Suspense, useMemo, useState } from 'react';
import { laneBox } from '../../../shared/domain/lanes.js';
import type { GpuProcess } from '../../../shared/types/gpu.js';
import type { LaneId, Task } from '../../../shared/types/task.js';
import { useT } from '../../i18n/index.js';
import { useBoard } from '../../stores/board.js';
import { useGpus } from '../../stores/gpus.js';
import { useRuns } from '../../stores/runs.js';
import { useTasks } from '../../stores/tasks.js';
import { GpuNoticeBanner } from '../gpus/GpuNoticeBanner.js';
import { GpuTable } from '../gpus/GpuTable.js';
import { HostStatsLine } from '../gpus/HostStatsLine.js';
import { gpuOfLane } from './boardLogic.js';
import { EmptyBoard } from './EmptyBoard.js';
import { Lane } from './Lane.js';
import { useLaneChoices } from './laneChoices.js';
import { RemoteBoxes } from './RemoteBoxes.js';
import { TaskLibrary } from './TaskLibrary.js';
import './board.css';
import '../gpus/gpus.css';

// Opened on demand: its history chart is the only chart on the board.
const GpuDetail = lazy(() => import('../gpus/GpuDetail.js').then((m) => ({ default: m.GpuDetail })));

const NO_PROCS: GpuProcess[] = [];
/** From this many cards on, the board opens in the compact table view (the user can switch either way). */
const TABLE_FROM_CARDS = 8;

export function BoardView(): React.JSX.Element {
  const t = useT();
  const snapshot = useGpus((s) => s.snapshot);
  const { board, selected, detailUuid } = useBoard();
  const tasks = useTasks((s) => s.tasks);
  const runs = useRuns((s) => s.runs);
  const runList = useMemo(() => Object.values(runs), [runs]);
  const tasksLoaded = useTasks((s) => s.loaded);
  const choices = useLaneChoices();
  const taskMap = new Map<string, Task>(tasks.map((tk) => [tk.id, tk]));
  // Name runs on cards after their task (processes only know the run id).
  const runNames = new Map<string, string>();
  for (const q of board.queue) if (q.runId) runNames.set(q.runId, taskMap.get(q.taskId)?.name ?? q.runId);

  const gpus = snapshot?.gpus ?? [];
  const [viewChoice, setView] = useState<'cards' | 'table' | null>(null);
  const view = viewChoice ?? (gpus.filter((g) => g.vendor !== 'cpu').length >= TABLE_FROM_CARDS ? 'table' : 'cards');
  const laneIds: LaneId[] = ['auto', ...gpus.map((g) => `gpu:${g.uuid}` as LaneId)];
  // A remote box's lanes (`<box>/…`) are drawn in its own group (RemoteBoxes), not among this machine's.
  for (const l of board.lanes) if (!laneIds.includes(l.id) && !laneBox(l.id)) laneIds.push(l.id);
  const laneOf = new Map(board.lanes.map((l) => [l.id, l]));

  return (
    <div className="board" data-testid="board-view" onKeyDown={(e) => e.key === 'Escape' && selected.length && useBoard.getState().clearSelection()}>
      <h1 className="page-title">
        {t('board.title')}
        <span className="spacer" />
        <HostStatsLine />
        <span className="view-toggle" role="group" aria-label={t('gpus.view.label')}>
          {(['cards', 'table'] as const).map((v) => (
            <button key={v} type="button" className="button small" aria-pressed={view === v} data-testid={`gpu-view-${v}`} onClick={() => setView(v)}>
              {t(`gpus.view.${v}`)}
            </button>
          ))}
        </span>
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
      {view === 'table' && gpus.length > 0 && <GpuTable gpus={gpus} processes={snapshot?.processes ?? NO_PROCS} runNames={runNames} />}
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
                runs={runList}
                runNames={runNames}
                choices={choices}
                compact={view === 'table'}
              />
            );
          })}
        </div>
        <TaskLibrary />
        <RemoteBoxes />
      </div>
      <p className="muted small board-hint">{t('board.hint')}</p>
      {detailUuid && (
        <Suspense fallback={null}>
          <GpuDetail uuid={detailUuid} runNames={runNames} />
        </Suspense>
      )}
    </div>
  );
}
