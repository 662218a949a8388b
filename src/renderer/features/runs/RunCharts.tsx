/** The run's curves: train and eval loss, learning rate (with resumed-segment markers), and GPU memory over time. */
import { useMemo } from 'react';
import type { Run } from '../../../shared/types/run.js';
import { LineChart, type ChartMarker } from '../../components/charts/LineChart.js';
import { useChartColors } from '../../components/charts/themeColors.js';
import { useT } from '../../i18n/index.js';
import { formatLoss, formatLr } from './format.js';
import { GpuMemoryChart } from './GpuMemoryChart.js';
import { effectiveHistory, fieldSeries, segmentMarkers } from './metricMath.js';
import { useRunMetrics } from './useRunMetrics.js';

export function RunCharts({ run }: { run: Run }): React.JSX.Element {
  const t = useT();
  const c = useChartColors();
  const { points, loading, error } = useRunMetrics(run.id);

  const { loss, evalLoss, lr, markers } = useMemo(() => {
    const history = effectiveHistory(points);
    return {
      loss: fieldSeries(history, 'loss'),
      evalLoss: fieldSeries(history, 'evalLoss'),
      lr: fieldSeries(history, 'lr'),
      markers: segmentMarkers(points),
    };
  }, [points]);
  const xMarkers: ChartMarker[] = markers.map((m) => ({ at: m.step, label: t('runs.chart.resumed', { n: m.segment }) }));
  const empty = loading ? t('common.loading') : error ? t('runs.chart.error', { error }) : t('runs.chart.noPoints');
  const step = t('runs.chart.step');

  return (
    <div className="run-charts">
      <section className="panel chart-panel">
        <h2 className="chart-title">{t('runs.chart.loss')}</h2>
        <LineChart
          testId="chart-loss"
          series={[
            { key: 'loss', label: t('runs.chart.trainLoss'), color: c.accent, points: loss },
            { key: 'evalLoss', label: t('runs.chart.evalLoss'), color: c.warn, points: evalLoss, dots: true },
          ]}
          xMarkers={xMarkers}
          formatY={formatLoss}
          xLabel={step}
          emptyText={empty}
        />
      </section>
      <section className="panel chart-panel">
        <h2 className="chart-title">{t('runs.chart.lr')}</h2>
        <LineChart
          testId="chart-lr"
          series={[{ key: 'lr', label: t('runs.chart.lr'), color: c.ok, points: lr }]}
          xMarkers={xMarkers}
          formatY={formatLr}
          xLabel={step}
          emptyText={empty}
        />
      </section>
      <GpuMemoryChart run={run} />
    </div>
  );
}
