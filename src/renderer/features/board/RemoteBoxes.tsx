/**
 * The remote engines on the board: one group per box, named after it, with its state and its cards as lanes
 * (`<box>/gpu:<uuid>`). A task dropped on a card is sent to that box and queued there; an unreachable box keeps its
 * cards and queue as last seen, greyed, because its runs go on there.
 */
import { useState } from 'react';
import type { GpuInfo } from '../../../shared/types/gpu.js';
import type { RemoteBox, RemoteQueueItem } from '../../../shared/types/remote.js';
import type { LaneId } from '../../../shared/types/task.js';
import { errorMessage } from '../../i18n/errorMessage.js';
import { useSay, useT } from '../../i18n/index.js';
import { useBoard } from '../../stores/board.js';
import { useRemotes } from '../../stores/remotes.js';
import { localToast } from '../../stores/toasts.js';
import { stateBadge } from '../settings/RemoteEngines.js';
import { payloadOf } from './useLaneDrop.js';

const gib = (mib: number | null) => (mib === null ? '–' : (mib / 1024).toFixed(1));

function BoxCard({ box, gpu, queue }: { box: RemoteBox; gpu: GpuInfo; queue: RemoteQueueItem[] }): React.JSX.Element {
  const t = useT();
  const [over, setOver] = useState(false);
  const lane = `${box.name}/gpu:${gpu.uuid}` as LaneId;
  const live = box.state === 'reachable';
  const paused = box.lanes.find((l) => l.id === lane)?.paused ?? false;
  const used = gpu.memoryUsedMiB ?? 0;
  const total = gpu.memoryTotalMiB ?? 0;
  const onDrop = (e: React.DragEvent) => {
    e.preventDefault();
    setOver(false);
    const drag = payloadOf(e);
    useBoard.getState().setDrag(null);
    if (drag?.kind !== 'task') return;
    useRemotes
      .getState()
      .enqueue(drag.taskId, lane)
      .then(() => localToast('success', t('remotes.box.queued', { box: box.name })))
      .catch((err) => localToast('error', t('remotes.err.enqueue', { box: box.name }), errorMessage(err)));
  };
  return (
    <div
      className={`lane remote-lane${over ? ' drag-over' : ''}${paused ? ' paused' : ''}`}
      data-testid={`lane-${lane}`}
      onDragOver={(e) => {
        if (!live || useBoard.getState().drag?.kind !== 'task') return;
        e.preventDefault();
        if (!over) setOver(true);
      }}
      onDragLeave={() => setOver(false)}
      onDrop={onDrop}
    >
      <div className="gpu-card-body">
        <div className="gpu-head static">
          <span className="gpu-index">{gpu.index}</span>
          <span className="gpu-name">{gpu.name}</span>
          {paused && <span className="badge warn">{t('board.lane.pausedShort')}</span>}
        </div>
        <div className="mem-bar" aria-hidden="true">
          <span className="mem-runs" style={{ width: total ? `${Math.min(100, (100 * used) / total)}%` : 0 }} />
        </div>
        <p className="small muted">
          {gib(gpu.memoryUsedMiB)} / {gib(gpu.memoryTotalMiB)} GiB{gpu.utilizationGpuPct !== null ? ` · ${gpu.utilizationGpuPct}%` : ''}
        </p>
      </div>
      {queue.length === 0 ? (
        <p className="lane-drop-here small">{live ? t('remotes.box.dropHere', { lane: `${box.name}/gpu:${gpu.index}` }) : t('remotes.box.empty')}</p>
      ) : (
        <ul className="remote-queue">
          {queue.map((q) => (
            <li key={q.id} className="small" data-testid={`remote-item-${q.id}`}>
              <span className="mono">{q.taskName}</span> <span className={`badge${q.state === 'running' ? ' ok' : ''}`}>{t(q.state === 'running' ? 'board.item.running' : 'board.item.waiting')}</span>
              {live && q.state === 'queued' && (
                <button type="button" className="button small" onClick={() => void useRemotes.getState().cancel(q.id).catch((err) => localToast('error', t('common.error'), errorMessage(err)))}>
                  {t('remotes.box.cancel')}
                </button>
              )}
            </li>
          ))}
        </ul>
      )}
    </div>
  );
}

export function RemoteBoxes(): React.JSX.Element | null {
  const t = useT();
  const say = useSay();
  const boxes = useRemotes((s) => s.boxes);
  if (boxes.length === 0) return null;
  return (
    <div className="remote-boxes">
      {boxes.map((b) => (
        <section key={b.id} className={`remote-box state-${b.state}`} data-testid={`box-${b.name}`} data-state={b.state} aria-label={b.name}>
          <h2 className="section-title">
            {b.name} <span className={`badge ${stateBadge[b.state]}`}>{t(`remotes.state.${b.state}`)}</span>{' '}
            <span className="muted small">{t('remotes.box.cards', { n: b.gpus.filter((g) => g.vendor !== 'cpu').length })}</span>
          </h2>
          {b.state !== 'reachable' && b.state !== 'connecting' && (
            <p className="muted small" data-testid={`box-note-${b.name}`}>
              {t('remotes.box.unreachableNote')} {b.lastError ? say(b.lastError) : ''}
            </p>
          )}
          <div className="lanes">
            {b.gpus.map((g) => (
              <BoxCard key={g.uuid} box={b} gpu={g} queue={b.queue.filter((q) => q.lane === `${b.name}/gpu:${g.uuid}`)} />
            ))}
          </div>
        </section>
      ))}
    </div>
  );
}
