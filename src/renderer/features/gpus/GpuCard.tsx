/** One GPU card: name and index, memory split, live figures, sparkline, the runs on it (links) and other programs' processes. */
import type { GpuInfo, GpuProcess } from '../../../shared/types/gpu.js';
import { useT } from '../../i18n/index.js';
import { useBoard } from '../../stores/board.js';
import { useGpus } from '../../stores/gpus.js';
import { useUi } from '../../stores/ui.js';
import { gib, memorySplit, runsOnCard } from '../board/boardLogic.js';
import { GpuSparkline } from './GpuSparkline.js';
import { GpuStats } from './GpuStats.js';
import { MemoryBar } from './MemoryBar.js';

const EMPTY: never[] = [];

interface Props {
  gpu: GpuInfo;
  processes: GpuProcess[];
  reservedMiB: number;
  /** runId → what to call it (the task name from the board), when known. */
  runNames: Map<string, string>;
  /** Table view: the card keeps its head, memory and figures; the table beside the lanes lists the processes. */
  compact?: boolean;
}

export function GpuCard({ gpu, processes, reservedMiB, runNames, compact = false }: Props): React.JSX.Element {
  const t = useT();
  const navigate = useUi((s) => s.navigate);
  const history = useGpus((s) => s.history[gpu.uuid] ?? EMPTY);
  const selected = useBoard((s) => s.selected.includes(gpu.uuid));
  const { toggleSelect, openDetail } = useBoard.getState();
  const split = memorySplit(gpu, processes, reservedMiB);
  const runs = runsOnCard(gpu.uuid, processes);
  const others = processes.filter((p) => p.gpuUuid === gpu.uuid && !p.runId);
  const total = gpu.memoryTotalMiB ?? 0;

  // Shift/Ctrl/Cmd-click builds a multi-GPU selection; a plain click opens the detail charts.
  const onClick = (e: React.MouseEvent | React.KeyboardEvent) => {
    if (e.shiftKey || e.ctrlKey || e.metaKey) toggleSelect(gpu.uuid);
    else openDetail(gpu.uuid);
  };

  return (
    <div className="gpu-card-body">
      <div
        className="gpu-head"
        role="button"
        tabIndex={0}
        aria-pressed={selected}
        title={t('gpus.headTitle')}
        data-testid="gpu-head"
        onClick={onClick}
        // Shift-click would otherwise select the card's text instead of the card.
        onMouseDown={(e) => (e.shiftKey || e.ctrlKey || e.metaKey) && e.preventDefault()}
        onKeyDown={(e) => {
          if (e.key === 'Enter') onClick(e);
          // Space toggles the selection: the keyboard way to pick several cards.
          if (e.key === ' ') {
            e.preventDefault();
            toggleSelect(gpu.uuid);
          }
        }}
      >
        <span className="gpu-index">{gpu.vendor === 'cpu' ? 'CPU' : `#${gpu.index}`}</span>
        <span className="gpu-name" data-testid="gpu-name">
          {gpu.name}
        </span>
        {selected && <span className="badge ok">{t('gpus.selected')}</span>}
      </div>
      {gpu.vendor === 'cpu' && <div className="muted small">{t('gpus.cpuDevice')}</div>}
      <MemoryBar split={split} />
      <GpuStats gpu={gpu} />
      {!compact && <GpuSparkline points={history} totalMiB={gpu.memoryTotalMiB} />}
      {!compact && runs.length > 0 && (
        <ul className="gpu-procs" aria-label={t('gpus.runsOnCard')}>
          {runs.map((r) => (
            <li key={r.runId}>
              <button type="button" className="link" data-testid="gpu-run-link" onClick={() => navigate('runs', r.runId)}>
                {runNames.get(r.runId) ?? r.runId}
              </button>
              <span className="muted">
                {gib(r.usedMiB)}
                {total > 0 ? ` · ${Math.round((r.usedMiB / total) * 100)}%` : ''}
              </span>
            </li>
          ))}
        </ul>
      )}
      {!compact && others.length > 0 && (
        <ul className="gpu-procs other" aria-label={t('gpus.otherProcs')}>
          {others.map((p) => (
            <li key={p.pid} title={`${t('gpus.otherProcTitle', { pid: p.pid })}\n${p.command ?? ''}`} data-testid="gpu-other-proc" data-pid={p.pid}>
              <span className="mono">{p.name || `pid ${p.pid}`}</span>
              <span className="muted">
                {p.user ? `${t('gpus.otherProcUser', { user: p.user })} · ` : ''}
                {t('gpus.otherProgram')} · {gib(p.usedMemoryMiB)}
              </span>
            </li>
          ))}
        </ul>
      )}
    </div>
  );
}
