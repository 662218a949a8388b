/** The last few minutes of a card (utilisation and memory, in percent) as a tiny chart from the rolling history. */
import { Line, LineChart, ResponsiveContainer, YAxis } from 'recharts';
import type { GpuHistoryPoint } from '../../../shared/types/gpu.js';
import { useT } from '../../i18n/index.js';

export function GpuSparkline({ points, totalMiB }: { points: GpuHistoryPoint[]; totalMiB: number | null }): React.JSX.Element {
  const t = useT();
  if (points.length < 2) return <div className="sparkline sparkline-empty muted">{t('gpus.collecting')}</div>;
  const data = points.map((p) => ({
    at: p.at,
    util: p.utilizationGpuPct,
    mem: totalMiB && p.memoryUsedMiB !== null ? (p.memoryUsedMiB / totalMiB) * 100 : null,
  }));
  return (
    <div className="sparkline" aria-label={t('gpus.sparklineAria')} role="img" title={t('gpus.sparklineAria')}>
      <ResponsiveContainer width="100%" height={36}>
        <LineChart data={data} margin={{ top: 2, right: 0, bottom: 2, left: 0 }}>
          <YAxis hide domain={[0, 100]} />
          <Line type="monotone" dataKey="mem" stroke="var(--mem-runs)" strokeWidth={1.5} dot={false} isAnimationActive={false} />
          <Line type="monotone" dataKey="util" stroke="var(--ok)" strokeWidth={1.5} dot={false} isAnimationActive={false} />
        </LineChart>
      </ResponsiveContainer>
    </div>
  );
}
