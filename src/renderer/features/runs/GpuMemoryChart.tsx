/** Memory used on the run's GPUs between its start and its end (or now), from gpus.history; refreshed while the run is live. */
import { useEffect, useState } from 'react';
import type { Run } from '../../../shared/types/run.js';
import { api, errorMessage } from '../../api/client.js';
import { LineChart, type ChartSeries } from '../../components/charts/LineChart.js';
import type { XY } from '../../components/charts/shape.js';
import { paletteColor, useChartColors } from '../../components/charts/themeColors.js';
import { useT } from '../../i18n/index.js';
import { useSettings } from '../../stores/settings.js';
import { formatMiB } from './format.js';
import { isActive } from './runList.js';

const REFRESH_MS = 10_000;

export function GpuMemoryChart({ run }: { run: Run }): React.JSX.Element {
  const t = useT();
  const c = useChartColors();
  const lang = useSettings((s) => s.settings?.language ?? 'en');
  const [data, setData] = useState<XY[][] | null>(null);
  const [error, setError] = useState<string | null>(null);
  const live = isActive(run.status);
  const uuids = run.gpuUuids.join(',');

  useEffect(() => {
    const list = uuids ? uuids.split(',') : [];
    if (!list.length || run.startedAt == null) return;
    let cancelled = false;
    const load = async () => {
      try {
        const until = run.endedAt ?? Date.now();
        const histories = await Promise.all(
          list.map((uuid) => api.call('gpus.history', { uuid, since: run.startedAt!, until, maxPoints: 600 })),
        );
        if (cancelled) return;
        setData(histories.map((h) => h.flatMap((p) => (p.memoryUsedMiB == null ? [] : [{ x: p.at, y: p.memoryUsedMiB }]))));
        setError(null);
      } catch (e) {
        if (!cancelled) setError(errorMessage(e));
      }
    };
    void load();
    const timer = live ? setInterval(() => void load(), REFRESH_MS) : null;
    return () => {
      cancelled = true;
      if (timer) clearInterval(timer);
    };
  }, [uuids, run.startedAt, run.endedAt, live]);

  const time = new Intl.DateTimeFormat(lang === 'zh' ? 'zh-CN' : 'en-GB', { hour: '2-digit', minute: '2-digit', second: '2-digit' });
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
