/** One queue item under a lane: state, task, note (why waiting / OOM advice), run link, and reorder/move/run-next/cancel controls. */
import { useState } from 'react';
import type { PlannedOutput, QueueItem, Task } from '../../../shared/types/task.js';
import { useSay, useT, type MessageKey } from '../../i18n/index.js';
import { useBoard } from '../../stores/board.js';
import { useRuns } from '../../stores/runs.js';
import { useUi } from '../../stores/ui.js';
import { cancelItem, moveItem, runNext } from './actions.js';
import { dropPosition, shiftedPosition } from './boardLogic.js';
import type { LaneChoice } from './laneChoices.js';
import { Menu } from './Menu.js';
import { endDrag, payloadOf, startDrag, useClearOnDragEnd } from './useLaneDrop.js';

interface Props {
  item: QueueItem;
  task: Task | undefined;
  /** The waiting items of this item's own lane, in order (for up/down). */
  queued: QueueItem[];
  lanes: LaneChoice[];
  /** False when the item is listed here only because its multi-GPU run spans this card. */
  home: boolean;
}

export function QueueItemRow({ item, task, queued, lanes, home }: Props): React.JSX.Element {
  const t = useT();
  const say = useSay();
  const navigate = useUi((s) => s.navigate);
  const [confirmStop, setConfirmStop] = useState(false);
  const [dropBefore, setDropBefore] = useState(false);
  useClearOnDragEnd(dropBefore, () => setDropBefore(false));
  const waiting = item.state === 'queued';
  const up = shiftedPosition(queued, item.id, -1);
  const down = shiftedPosition(queued, item.id, 1);
  const name = task?.name ?? t('board.item.removedTask');
  // A Slurm run is "running" on the board from its submission: its job says whether Slurm has started it.
  const slurm = useRuns((s) => (item.runId ? (s.runs[item.runId]?.slurm ?? null) : null));

  const dragHandlers = waiting && home
    ? {
        draggable: true,
        onDragStart: (e: React.DragEvent) => startDrag(e, { kind: 'item', itemId: item.id }),
        onDragEnd: endDrag,
        // Another waiting item dropped here goes before this one.
        onDragOver: (e: React.DragEvent) => {
          if (useBoard.getState().drag?.kind !== 'item') return;
          e.preventDefault();
          e.stopPropagation();
          setDropBefore(true);
        },
        onDragLeave: () => setDropBefore(false),
        onDrop: (e: React.DragEvent) => {
          const drag = payloadOf(e);
          setDropBefore(false);
          if (drag?.kind !== 'item' || drag.itemId === item.id) return;
          e.preventDefault();
          e.stopPropagation();
          endDrag();
          const target = queued.some((q) => q.id === drag.itemId) ? queued : [...queued, { id: drag.itemId } as QueueItem];
          void moveItem(drag.itemId, item.lane, dropPosition(target, drag.itemId, item.id));
        },
      }
    : {};

  return (
    <li
      className={`queue-item state-${item.state}${dropBefore ? ' drop-before' : ''}${home ? '' : ' spanning'}`}
      data-testid="queue-item"
      data-state={item.state}
      data-task={name}
      {...dragHandlers}
    >
      <div className="queue-line">
        <span className={`badge ${item.state === 'running' ? 'ok' : ''}`}>{t(item.state === 'running' ? 'board.item.running' : 'board.item.waiting')}</span>
        <span className="queue-name" title={name}>
          {name}
        </span>
        {item.gpuCount > 1 && <span className="badge">{t('board.item.gpus', { n: item.gpuCount })}</span>}
        {(item.attempts ?? 0) > 0 && <span className="badge warn">{t('board.item.attempts', { n: item.attempts ?? 0 })}</span>}
      </div>
      {item.output && <OutputLine output={item.output} />}
      {slurm && (
        <div className="muted small" data-testid="queue-slurm-job">
          {t('board.slurm.job', { id: slurm.jobId, state: slurm.state })}
          {slurm.reason && slurm.state === 'PENDING' ? ` · ${t('board.slurm.pending', { reason: slurm.reason })}` : ''}
        </div>
      )}
      {item.note && (
        <div className="queue-note muted" data-testid="queue-note">
          {item.noteSaid ? say(item.noteSaid) : item.note}
        </div>
      )}
      <div className="queue-controls">
        {item.runId && (
          <button type="button" className="link" data-testid="queue-run-link" onClick={() => navigate('runs', item.runId!)}>
            {t('board.item.openRun')}
          </button>
        )}
        {waiting && home && (
          <>
            <button type="button" className="icon-button" disabled={up === null} aria-label={t('board.item.up')} title={t('board.item.up')} data-testid="queue-up" onClick={() => up !== null && void moveItem(item.id, item.lane, up)}>
              ↑
            </button>
            <button type="button" className="icon-button" disabled={down === null} aria-label={t('board.item.down')} title={t('board.item.down')} data-testid="queue-down" onClick={() => down !== null && void moveItem(item.id, item.lane, down)}>
              ↓
            </button>
            <Menu
              label={t('board.item.moveTo')}
              className="button small"
              testId="queue-move"
              entries={lanes
                .filter((l) => l.id !== item.lane)
                .map((l) => ({ key: l.id, label: l.label, hint: l.paused ? t('board.lane.pausedShort') : undefined, onSelect: () => void moveItem(item.id, l.id, Number.MAX_SAFE_INTEGER) }))}
            />
            <button type="button" className="button small" disabled={up === null} data-testid="queue-run-next" onClick={() => void runNext(item.id)}>
              {t('board.item.runNext')}
            </button>
          </>
        )}
        {home &&
          (item.state === 'running' && !confirmStop ? (
            <button type="button" className="button small danger" data-testid="queue-cancel" onClick={() => setConfirmStop(true)}>
              {t('board.item.stop')}
            </button>
          ) : (
            <button
              type="button"
              className="button small danger"
              data-testid={confirmStop ? 'queue-confirm-stop' : 'queue-cancel'}
              onBlur={() => setConfirmStop(false)}
              // Escape takes the question back; the focus stays on this button (now Stop again).
              onKeyDown={(e) => confirmStop && e.key === 'Escape' && (e.stopPropagation(), setConfirmStop(false))}
              onClick={() => void cancelItem(item.id).then(() => setConfirmStop(false))}
            >
              {confirmStop ? t('board.item.confirmStop') : t('board.item.cancel')}
            </button>
          ))}
      </div>
    </li>
  );
}

const OUTPUT_TEXT: Record<PlannedOutput['reason'], MessageKey> = {
  config: 'board.item.output',
  shared: 'board.item.outputShared',
  used: 'board.item.outputUsed',
  default: 'board.item.outputDefault',
  running: 'board.item.outputRunning',
};

/** Where the run writes: plain when it is the config's own output_dir, highlighted when Trainyard chose another folder. */
function OutputLine({ output }: { output: PlannedOutput }): React.JSX.Element {
  const t = useT();
  const moved = output.reason === 'shared' || output.reason === 'used' || (output.reason === 'running' && output.configured !== null && output.configured !== output.path);
  const key = output.reason === 'running' && !moved ? 'board.item.output' : OUTPUT_TEXT[output.reason];
  return (
    <div className={`queue-note${moved ? '' : ' muted'}`} data-testid="queue-output" data-reason={output.reason} data-path={output.path ?? ''} title={output.path ?? undefined}>
      {moved ? '⚠ ' : ''}
      {t(key, { path: output.path ?? '', configured: output.configured ?? '' })}
    </div>
  );
}
