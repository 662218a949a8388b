/** Memory used on the run's GPUs between its start and its end (or now), from gpus.history; refreshed while the run is live. */
import { useEffect, useMemo, useRef } from 'react';
import type { Run } from '../../../shared/types/run.js';
import { LineChart, type ChartSeries } from '../../components/charts/LineChart.js';
import type { XY } from '../../components/charts/shape.js';
import { paletteColor, useChartColors } from '../../components/charts/themeColors.js';
import { useT } from '../../i18n/index.js';
import { useGpus, watchHistory } from '../../stores/gpus.js';
import { useSettings } from '../../stores/settings.js';
import { formatMiB } from './format.js';
import { isActiveStatus } from '../../../shared/domain/runState.js';
import { localeOf } from '../../i18n/format.js';

const REFRESH_MS = 10_000;

export function GpuMemoryChart({ run }: { run: Run }): React.JSX.Element {
  const t = useT();
  const c = useChartColors();
  const lang = useSettings((s) => s.settings?.language ?? 'en');
  const live = isActiveStatus(run.status);
  const uuids = run.gpuUuids.join(',');
  const startedAt = run.startedAt;
  const endedAt = run.endedAt;
  // The query is the key: a run that ends (or starts) is a new query, watched afresh.
  const key = `run:${run.id}:${uuids}:${startedAt}:${endedAt}:${live}`;
  useEffect(() => {
    const list = uuids ? uuids.split(',') : [];
    if (!list.length || startedAt == null) return;
    return watchHistory(key, { uuids: list, since: () => startedAt, until: endedAt, maxPoints: 600, refreshMs: live ? REFRESH_MS : 0 });
  }, [key, uuids, startedAt, endedAt, live]);
  const range = useGpus((s) => s.ranges[key]);
  const error = range?.error ?? null;
  const fresh = useMemo(
    () => range?.series?.map((h) => h.flatMap((p): XY[] => (p.memoryUsedMiB == null ? [] : [{ x: p.at, y: p.memoryUsedMiB }]))) ?? null,
    [range?.series],
  );
  // While a changed query (the run just ended) loads, keep drawing this run's last curve instead of "loading".
  const last = useRef<{ runId: string; data: XY[][] } | null>(null);
  if (fresh) last.current = { runId: run.id, data: fresh };
  const data = fresh ?? (last.current?.runId === run.id ? last.current.data : null);

  const time = new Intl.DateTimeFormat(localeOf(lang), { hour: '2-digit', minute: '2-digit', second: '2-digit' });
  const series: ChartSeries[] = (data ?? []).map((points, i) => ({
    key: `gpu${i}`,
    label: t('runs.gpuList', { gpus: String(run.gpuIndices[i] ?? i) }),
    color: paletteColor(c, i),
    points,
  }));
  const empty = !run.gpuUuids.length
    ? t('runs.chart.noGpu')
    : error
      ? t('runs.chart.error', { error })
      : data
        ? t('runs.chart.noGpuSamples')
        : t('common.loading');
  return (
    <section className="panel chart-panel">
      <h2 className="chart-title" title={t('runs.chart.memoryHint')}>
        {t('runs.chart.memory')}
      </h2>
      <LineChart
        testId="chart-memory"
        series={series}
        yMarkers={run.estimateMiB != null ? [{ at: run.estimateMiB, label: t('runs.chart.estimate', { mem: formatMiB(run.estimateMiB) }) }] : []}
        formatX={(x) => time.format(x)}
        formatY={(y) => formatMiB(y)}
        emptyText={empty}
      />
    </section>
  );
}
