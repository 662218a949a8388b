/** The compact view for machines with many cards: one row per GPU with its figures and every process on it. */
import type { GpuInfo, GpuProcess } from '../../../shared/types/gpu.js';
import { useT } from '../../i18n/index.js';
import { useBoard } from '../../stores/board.js';
import { useUi } from '../../stores/ui.js';
import { gib } from '../board/boardLogic.js';

const n = (v: number | null, unit: string) => (v === null ? '–' : `${Math.round(v)}${unit}`);

export function GpuTable({ gpus, processes, runNames }: { gpus: GpuInfo[]; processes: GpuProcess[]; runNames: Map<string, string> }): React.JSX.Element {
  const t = useT();
  const navigate = useUi((s) => s.navigate);
  return (
    <table className="gpu-table small" data-testid="gpu-table">
      <thead>
        <tr>
          <th scope="col">{t('gpus.table.gpu')}</th>
          <th scope="col" className="num">
            {t('gpus.table.memory')}
          </th>
          <th scope="col" className="num">
            {t('gpus.table.util')}
          </th>
          <th scope="col" className="num">
            {t('gpus.table.temp')}
          </th>
          <th scope="col" className="num">
            {t('gpus.table.power')}
          </th>
          <th scope="col">{t('gpus.table.processes')}</th>
        </tr>
      </thead>
      <tbody>
        {gpus.map((g) => {
          const procs = processes.filter((p) => p.gpuUuid === g.uuid).sort((a, b) => (b.usedMemoryMiB ?? 0) - (a.usedMemoryMiB ?? 0));
          const pct = g.memoryTotalMiB && g.memoryUsedMiB !== null ? Math.round((g.memoryUsedMiB / g.memoryTotalMiB) * 100) : null;
          return (
            <tr key={g.uuid} data-testid="gpu-table-row" data-index={g.index}>
              <th scope="row">
                <button type="button" className="link" onClick={() => useBoard.getState().openDetail(g.uuid)}>
                  #{g.index} {g.name}
                </button>
              </th>
              <td className="num">
                {gib(g.memoryUsedMiB)} / {gib(g.memoryTotalMiB)}
                <span className="gpu-table-bar" aria-hidden="true">
                  <span style={{ width: `${pct ?? 0}%` }} />
                </span>
              </td>
              <td className="num">{n(g.utilizationGpuPct, '%')}</td>
              <td className="num">{n(g.temperatureC, '°C')}</td>
              <td className="num">{n(g.powerDrawW, ' W')}</td>
              <td>
                <ul className="gpu-table-procs">
                  {procs.map((p) => (
                    <li key={p.pid} data-testid="gpu-table-proc" data-pid={p.pid} title={p.command ?? p.name}>
                      <span className="mono">{p.pid}</span> {p.user ?? '–'}{' '}
                      {p.runId ? (
                        <button type="button" className="link" onClick={() => navigate('runs', p.runId!)}>
                          {runNames.get(p.runId) ?? p.runId}
                        </button>
                      ) : (
                        <span className="mono">{p.name}</span>
                      )}{' '}
                      <span className="muted">{gib(p.usedMemoryMiB)}</span>
                    </li>
                  ))}
                </ul>
              </td>
            </tr>
          );
        })}
      </tbody>
    </table>
  );
}
