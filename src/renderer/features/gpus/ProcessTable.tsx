/** The processes holding memory on one GPU, as nvitop lists them: pid, user, command, memory; ours link to their run. */
import type { GpuProcess } from '../../../shared/types/gpu.js';
import { useT } from '../../i18n/index.js';
import { useUi } from '../../stores/ui.js';
import { gib } from '../board/boardLogic.js';

export function ProcessTable({ uuid, processes, runNames }: { uuid: string; processes: GpuProcess[]; runNames: Map<string, string> }): React.JSX.Element {
  const t = useT();
  const navigate = useUi((s) => s.navigate);
  const mine = processes.filter((p) => p.gpuUuid === uuid).sort((a, b) => (b.usedMemoryMiB ?? 0) - (a.usedMemoryMiB ?? 0));
  if (mine.length === 0) return <p className="muted small">{t('gpus.procs.none')}</p>;
  return (
    <table className="proc-table small" data-testid="gpu-proc-table" aria-label={t('gpus.procs.title')}>
      <thead>
        <tr>
          <th scope="col">{t('gpus.procs.pid')}</th>
          <th scope="col">{t('gpus.procs.user')}</th>
          <th scope="col">{t('gpus.procs.command')}</th>
          <th scope="col" className="num">
            {t('gpus.procs.memory')}
          </th>
          <th scope="col">{t('gpus.procs.run')}</th>
        </tr>
      </thead>
      <tbody>
        {mine.map((p) => (
          <tr key={`${p.pid}-${p.gpuUuid}`} data-testid="gpu-proc-row" data-pid={p.pid} data-run={p.runId ?? ''}>
            <td className="mono">{p.pid}</td>
            <td>{p.user ?? '–'}</td>
            <td className="mono proc-cmd" title={p.command ?? p.name}>
              {p.command ?? p.name}
            </td>
            <td className="num">{gib(p.usedMemoryMiB)}</td>
            <td>
              {p.runId ? (
                <button type="button" className="link" data-testid="gpu-proc-run" onClick={() => navigate('runs', p.runId!)}>
                  {runNames.get(p.runId) ?? p.runId}
                </button>
              ) : (
                <span className="muted">{t('gpus.procs.external')}</span>
              )}
            </td>
          </tr>
        ))}
      </tbody>
    </table>
  );
}
