/** The last few minutes of a card (utilisation and memory, in percent) as a tiny SVG chart from the rolling history: no chart library on the board's first paint. */
import type { GpuHistoryPoint } from '../../../shared/types/gpu.js';
import { useT } from '../../i18n/index.js';

const W = 100;
const H = 36;

/** A polyline through the values (0–100 %) spread over the time span; gaps (null) break the line. */
function paths(points: readonly { at: number; v: number | null }[]): string {
  const t0 = points[0]!.at;
  const span = Math.max(1, points.at(-1)!.at - t0);
  let d = '';
  let pen = false;
  for (const p of points) {
    if (p.v === null || !Number.isFinite(p.v)) {
      pen = false;
      continue;
    }
    const x = ((p.at - t0) / span) * W;
    const y = H - 2 - (Math.min(100, Math.max(0, p.v)) / 100) * (H - 4);
    d += `${pen ? 'L' : 'M'}${x.toFixed(1)},${y.toFixed(1)}`;
    pen = true;
  }
  return d;
}

export function GpuSparkline({ points, totalMiB }: { points: GpuHistoryPoint[]; totalMiB: number | null }): React.JSX.Element {
  const t = useT();
  if (points.length < 2) return <div className="sparkline sparkline-empty muted">{t('gpus.collecting')}</div>;
  const mem = points.map((p) => ({ at: p.at, v: totalMiB && p.memoryUsedMiB !== null ? (p.memoryUsedMiB / totalMiB) * 100 : null }));
  const util = points.map((p) => ({ at: p.at, v: p.utilizationGpuPct }));
  return (
    <div className="sparkline" aria-label={t('gpus.sparklineAria')} role="img" title={t('gpus.sparklineAria')}>
      <svg viewBox={`0 0 ${W} ${H}`} preserveAspectRatio="none" width="100%" height={H} aria-hidden="true">
        <path d={paths(mem)} fill="none" stroke="var(--mem-runs)" strokeWidth={1.5} vectorEffect="non-scaling-stroke" />
        <path d={paths(util)} fill="none" stroke="var(--ok)" strokeWidth={1.5} vectorEffect="non-scaling-stroke" />
      </svg>
    </div>
  );
}
