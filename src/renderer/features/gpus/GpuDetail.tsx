/** Detail panel of one card: memory, utilisation, temperature and power over the last hour (gpus.history, refreshed). */
import { useEffect, useState } from 'react';
import { CartesianGrid, Line, LineChart, ResponsiveContainer, Tooltip, XAxis, YAxis } from 'recharts';
import type { GpuHistoryPoint } from '../../../shared/types/gpu.js';
import { api, errorMessage } from '../../api/client.js';
import { useT, type MessageKey } from '../../i18n/index.js';
import { useBoard } from '../../stores/board.js';
import { useGpus } from '../../stores/gpus.js';

const HOUR = 60 * 60_000;
const REFRESH_MS = 15_000;

const CHARTS: { key: keyof GpuHistoryPoint; label: MessageKey; unit: string; color: string; scale?: number }[] = [
  { key: 'memoryUsedMiB', label: 'gpus.chart.memory', unit: 'GiB', color: 'var(--mem-runs)', scale: 1 / 1024 },
  { key: 'utilizationGpuPct', label: 'gpus.chart.util', unit: '%', color: 'var(--ok)' },
  { key: 'temperatureC', label: 'gpus.chart.temp', unit: '°C', color: 'var(--warn)' },
  { key: 'powerDrawW', label: 'gpus.chart.power', unit: 'W', color: 'var(--mem-reserved)' },
];

const clock = (at: number) => new Date(at).toLocaleTimeString([], { hour: '2-digit', minute: '2-digit' });

export function GpuDetail({ uuid }: { uuid: string }): React.JSX.Element | null {
  const t = useT();
  const gpu = useGpus((s) => s.snapshot?.gpus.find((g) => g.uuid === uuid) ?? null);
  const close = () => useBoard.getState().openDetail(null);
  const [points, setPoints] = useState<GpuHistoryPoint[] | null>(null);
  const [error, setError] = useState<string | null>(null);

  useEffect(() => {
    let live = true;
    const load = () =>
      api
        .call('gpus.history', { uuid, since: Date.now() - HOUR, maxPoints: 600 })
        .then((p) => live && (setPoints(p), setError(null)))
        .catch((e) => live && setError(errorMessage(e)));
    void load();
    const timer = setInterval(load, REFRESH_MS);
    return () => {
      live = false;
      clearInterval(timer);
    };
  }, [uuid]);

  return (
    <aside className="gpu-detail panel" data-testid="gpu-detail" aria-label={t('gpus.detailTitle')} onKeyDown={(e) => e.key === 'Escape' && close()}>
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
        </div>
      )}
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
                    <XAxis dataKey="at" type="number" domain={['dataMin', 'dataMax']} tickFormatter={clock} stroke="var(--text-muted)" fontSize={11} />
                    <YAxis stroke="var(--text-muted)" fontSize={11} domain={c.unit === '%' ? [0, 100] : ['auto', 'auto']} />
                    <Tooltip
                      labelFormatter={(at) => clock(Number(at))}
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
