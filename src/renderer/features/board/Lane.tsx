/** A lane: a GPU card (or the Auto lane) as a drop target, the fit hint while a task hovers it, and its queue in order. */
import type { GpuInfo, GpuProcess } from '../../../shared/types/gpu.js';
import type { Run } from '../../../shared/types/run.js';
import type { Lane as LaneT, QueueItem, Task } from '../../../shared/types/task.js';
import { useT } from '../../i18n/index.js';
import { useBoard } from '../../stores/board.js';
import { laneSlurmPartition } from '../../../shared/domain/lanes.js';
import { useSlurm } from '../../stores/slurm.js';
import { GpuCard } from '../gpus/GpuCard.js';
import { pauseLane } from './actions.js';
import { gpuOfLane, laneItems, queuedIn, reservedOn } from './boardLogic.js';
import { FitHint } from './FitHint.js';
import type { LaneChoice } from './laneChoices.js';
import { QueueItemRow } from './QueueItemRow.js';
import { SlurmLaneCard } from './SlurmLaneCard.js';
import { useLaneDrop } from './useLaneDrop.js';

interface Props {
  lane: LaneT;
  gpu: GpuInfo | null;
  queue: QueueItem[];
  tasks: Map<string, Task>;
  processes: GpuProcess[];
  /** Every run the store holds: the live ones' memory claims are the card's reserved memory. */
  runs: readonly Run[];
  runNames: Map<string, string>;
  choices: LaneChoice[];
  compact?: boolean;
}

export function Lane({ lane, gpu, queue, tasks, processes, runs, runNames, choices, compact }: Props): React.JSX.Element {
  const t = useT();
  const uuid = gpuOfLane(lane.id);
  const { over, handlers } = useLaneDrop(lane.id);
  const selected = useBoard((s) => uuid !== null && s.selected.includes(uuid));
  const fitState = useBoard((s) => (over && s.drag?.kind === 'task' ? 'hover' : null));
  const items = laneItems(queue, lane.id);
  const queued = queuedIn(queue, lane.id);
  const partitionName = laneSlurmPartition(lane.id);
  const partition = useSlurm((s) => (partitionName ? (s.cluster?.partitions.find((p) => p.name === partitionName) ?? null) : null));
  const label = lane.id === 'auto' ? t('board.lane.auto') : partitionName ? t('board.slurm.title', { name: partitionName }) : gpu ? `#${gpu.index}` : t('board.lane.gone');

  return (
    <section
      className={`lane${lane.id === 'auto' ? ' lane-auto' : ''}${over ? ' drag-over' : ''}${selected ? ' selected' : ''}${lane.paused ? ' paused' : ''}`}
      data-testid={lane.id === 'auto' ? 'lane-auto' : partitionName ? 'slurm-lane' : 'gpu-card'}
      data-lane={lane.id}
      data-index={gpu?.index}
      aria-label={label}
      {...handlers}
    >
      <div className="lane-body">
        {lane.id === 'auto' ? (
          <div className="gpu-card-body">
            <div className="gpu-head static">
              <span className="gpu-index">⇄</span>
              <span className="gpu-name">{t('board.lane.auto')}</span>
            </div>
            <p className="muted small">{t('board.lane.autoHelp')}</p>
          </div>
        ) : partitionName ? (
          <SlurmLaneCard name={partitionName} partition={partition} />
        ) : gpu ? (
          <GpuCard gpu={gpu} processes={processes} reservedMiB={reservedOn(gpu, runs, queue, processes)} runNames={runNames} compact={compact} />
        ) : (
          <div className="gpu-card-body">
            <div className="gpu-head static">
              <span className="gpu-name mono">{uuid}</span>
            </div>
            <p className="muted small">{t('board.lane.goneHelp')}</p>
          </div>
        )}
        {/* Over the card's figures, never in the flow: opening it must not push the cards below from under the pointer. */}
        {over && (
          <div className="lane-drop-overlay">
            {fitState && <FitHint lane={lane.id} uuid={uuid} />}
            {/* A task's fit hint already says what a drop does; items and files get the plain invitation. */}
            {!fitState && queued.length === 0 && <div className="lane-drop-here muted small">{t('board.lane.dropHere')}</div>}
          </div>
        )}
      </div>
      <div className="lane-bar">
        <span className="muted small" data-testid="lane-count">
          {items.length ? t('board.lane.count', { running: items.filter((i) => i.state === 'running').length, waiting: items.filter((i) => i.state === 'queued').length }) : t('board.lane.empty')}
        </span>
        {lane.paused && <span className="badge warn">{t('board.lane.paused')}</span>}
        <button
          type="button"
          className="button small"
          data-testid="lane-pause"
          title={t(lane.paused ? 'board.lane.resumeHelp' : 'board.lane.pauseHelp')}
          onClick={() => void pauseLane(lane.id, !lane.paused)}
        >
          {t(lane.paused ? 'board.lane.resume' : 'board.lane.pause')}
        </button>
      </div>
      {items.length > 0 && (
        <ol className="queue" aria-label={t('board.lane.queue', { lane: label })}>
          {items.map((it) => (
            <QueueItemRow
              key={it.id}
              item={it}
              task={tasks.get(it.taskId)}
              queued={queuedIn(queue, it.lane)}
              lanes={choices}
              home={it.lane === lane.id}
            />
          ))}
        </ol>
      )}
    </section>
  );
}
