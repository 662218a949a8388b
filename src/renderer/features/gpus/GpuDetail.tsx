/** Detail panel of one card: memory, utilisation, temperature and power over the last hour (gpus.history, refreshed). */
import { useEffect, useRef } from 'react';
import { CartesianGrid, Line, LineChart, ResponsiveContainer, Tooltip, XAxis, YAxis } from 'recharts';
import type { GpuHistoryPoint } from '../../../shared/types/gpu.js';
import { useDialogFocus } from '../../components/useDialogFocus.js';
import { useT, type MessageKey } from '../../i18n/index.js';
import { useBoard } from '../../stores/board.js';
import { useGpus, watchHistory } from '../../stores/gpus.js';
import { formatClock } from '../../i18n/format.js';
import { useSettings } from '../../stores/settings.js';
import { ProcessTable } from './ProcessTable.js';

const HOUR = 60 * 60_000;
const REFRESH_MS = 15_000;

const CHARTS: { key: keyof GpuHistoryPoint; label: MessageKey; unit: string; color: string; scale?: number }[] = [
  { key: 'memoryUsedMiB', label: 'gpus.chart.memory', unit: 'GiB', color: 'var(--mem-runs)', scale: 1 / 1024 },
  { key: 'utilizationGpuPct', label: 'gpus.chart.util', unit: '%', color: 'var(--ok)' },
  { key: 'temperatureC', label: 'gpus.chart.temp', unit: '°C', color: 'var(--warn)' },
  { key: 'powerDrawW', label: 'gpus.chart.power', unit: 'W', color: 'var(--mem-reserved)' },
];

export function GpuDetail({ uuid, runNames }: { uuid: string; runNames: Map<string, string> }): React.JSX.Element | null {
  const t = useT();
  const lang = useSettings((s) => s.settings?.language ?? 'en');
  const gpu = useGpus((s) => s.snapshot?.gpus.find((g) => g.uuid === uuid) ?? null);
  const processes = useGpus((s) => s.snapshot?.processes);
  const close = () => useBoard.getState().openDetail(null);
  const box = useRef<HTMLElement>(null);
  // A side panel, not modal: Tab may leave it, but closing it puts the focus back on the card that opened it.
  useDialogFocus(box);
  const key = `card:${uuid}`;
  useEffect(() => watchHistory(key, { uuids: [uuid], since: () => Date.now() - HOUR, until: null, maxPoints: 600, refreshMs: REFRESH_MS }), [key, uuid]);
  const points = useGpus((s) => s.ranges[key]?.series?.[0] ?? null);
  const error = useGpus((s) => s.ranges[key]?.error ?? null);

  return (
    <aside className="gpu-detail panel" data-testid="gpu-detail" ref={box} aria-label={t('gpus.detailTitle')} onKeyDown={(e) => e.key === 'Escape' && close()}>
      <div className="dialog-head">
        <h2>
          {gpu ? `#${gpu.index} ${gpu.name}` : uuid} <span className="muted small">{t('gpus.lastHour')}</span>
        </h2>
        <button type="button" className="icon-button" onClick={close} aria-label={t('common.close')} autoFocus>
          ×
        </button>
      </div>
      {gpu && (
        <div className="muted small mono">
          {gpu.uuid}
          {gpu.driverVersion ? ` · ${t('gpus.driver')} ${gpu.driverVersion}` : ''}
          {gpu.pstate ? ` · ${gpu.pstate}` : ''}
          {gpu.computeCap ? ` · sm ${gpu.computeCap}` : ''}
        </div>
      )}
      <h3 className="small">{t('gpus.procs.title')}</h3>
      <ProcessTable uuid={uuid} processes={processes ?? []} runNames={runNames} />
      {error && <div className="badge err">{error}</div>}
      {points === null && !error && <p className="muted">{t('common.loading')}</p>}
      {points && points.length === 0 && <p className="muted">{t('gpus.noHistory')}</p>}
      {points && points.length > 0 && (
        <div className="gpu-charts">
          {CHARTS.map((c) => {
            const data = points.map((p) => ({ at: p.at, v: p[c.key] === null ? null : (p[c.key] as number) * (c.scale ?? 1) }));
            if (data.every((d) => d.v === null)) return null;
            return (
              <figure key={c.key} className="gpu-chart" data-testid={`gpu-chart-${c.key}`}>
                <figcaption>
                  {t(c.label)} ({c.unit})
                </figcaption>
                <ResponsiveContainer width="100%" height={120}>
                  <LineChart data={data} margin={{ top: 4, right: 8, bottom: 0, left: 4 }}>
                    <CartesianGrid stroke="var(--border)" strokeDasharray="3 3" />
                    <XAxis dataKey="at" type="number" domain={['dataMin', 'dataMax']} tickFormatter={(at: number) => formatClock(lang, at)} stroke="var(--text-muted)" fontSize={11} />
                    <YAxis stroke="var(--text-muted)" fontSize={11} domain={c.unit === '%' ? [0, 100] : ['auto', 'auto']} />
                    <Tooltip
                      labelFormatter={(at) => formatClock(lang, Number(at))}
                      formatter={(v) => [`${Number(v).toFixed(c.unit === 'GiB' ? 1 : 0)} ${c.unit}`, t(c.label)]}
                      contentStyle={{ background: 'var(--bg-elev)', border: '1px solid var(--border)' }}
                    />
                    <Line type="linear" dataKey="v" stroke={c.color} dot={false} strokeWidth={1.5} isAnimationActive={false} />
                  </LineChart>
                </ResponsiveContainer>
              </figure>
            );
          })}
        </div>
      )}
    </aside>
  );
}
