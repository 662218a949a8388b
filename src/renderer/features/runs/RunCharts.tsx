/** The run's curves: loss, learning rate, grad norm and tokens/s on a chosen x axis (smoothing and log scale as in Compare), with resumed-segment markers, and GPU memory over time. */
import { useMemo, useState } from 'react';
import { axisXs, effectiveHistory, segmentMarkers, tokenRates } from '../../../shared/domain/runHistory.js';
import type { CurveAxis } from '../../../shared/types/compare.js';
import type { Run } from '../../../shared/types/run.js';
import { CurveControls, type CurveView } from '../../components/charts/CurveControls.js';
import { LineChart, type ChartMarker, type ChartSeries } from '../../components/charts/LineChart.js';
import { useChartColors } from '../../components/charts/themeColors.js';
import { emaSmooth } from '../../../shared/util/ema.js';
import { useT, type MessageKey } from '../../i18n/index.js';
import { formatLoss, formatLr, formatRate } from './format.js';
import { GpuMemoryChart } from './GpuMemoryChart.js';
import { fieldSeries } from './metricMath.js';
import { useRunMetrics } from './useRunMetrics.js';

const AXES: CurveAxis[] = ['step', 'tokens', 'time'];
const GRAD_NORM = { extra: 'grad_norm' } as const;
/** Axis ticks a few hundred tokens/s apart must not all read "1.8k". */
const formatTokenRate = (v: number) => (v < 100_000 ? String(Math.round(v)) : formatRate(v));

export function RunCharts({ run }: { run: Run }): React.JSX.Element {
  const t = useT();
  const c = useChartColors();
  const { points, loading, error } = useRunMetrics(run.id);
  const [view, setView] = useState<CurveView>({ axis: 'step', smoothing: 0, logScale: false });
  const { axis, smoothing, logScale } = view;

  const s = useMemo(() => {
    const history = effectiveHistory(points);
    const rates = tokenRates(history);
    const rateXs = axisXs(history, axis);
    const at = new Map(history.map((p, i) => [p, rateXs[i]]));
    const rateYs = emaSmooth(
      rates.map((r) => r.rate),
      smoothing,
    );
    const rate = rates.flatMap((r, i) => {
      const x = at.get(r.point);
      return x == null ? [] : [{ x, y: rateYs[i]! }];
    });
    const markerXs = segmentMarkers(points).map((m) => {
      // A resumed segment starts at its first kept point: find its x on the chosen axis.
      const i = history.findIndex((p) => p.segment === m.segment);
      return { ...m, x: i >= 0 ? rateXs[i] : null };
    });
    return {
      loss: fieldSeries(history, 'loss', axis, smoothing),
      evalLoss: fieldSeries(history, 'evalLoss', axis),
      lr: fieldSeries(history, 'lr', axis),
      gradNorm: fieldSeries(history, GRAD_NORM, axis, smoothing),
      rate,
      markers: markerXs,
    };
  }, [points, axis, smoothing]);

  const xMarkers: ChartMarker[] = s.markers.flatMap((m) => (m.x == null ? [] : [{ at: m.x, label: t('runs.chart.resumed', { n: m.segment }) }]));
  const empty = loading ? t('common.loading') : error ? t('runs.chart.error', { error }) : t('runs.chart.noPoints');
  const xLabel = t(`compare.axis.${axis}` as MessageKey);
  // Log scale is for the curves that fall over orders of magnitude (loss, grad norm), not for lr or a rate.
  const chart = (testId: string, title: string, series: ChartSeries[], formatY: (y: number) => string, emptyText = empty, log = logScale) => (
    <section className="panel chart-panel">
      <h2 className="chart-title">{title}</h2>
      <LineChart testId={testId} series={series} xMarkers={xMarkers} formatY={formatY} xLabel={xLabel} emptyText={emptyText} logScale={log} />
    </section>
  );
  const noData = (key: MessageKey) => (loading || error ? empty : t(key));

  return (
    <div className="run-charts" data-testid="run-charts" data-axis={axis} data-smoothing={smoothing} data-log={logScale}>
      <div className="run-chart-controls panel">
        <CurveControls axes={AXES} axis={axis} smoothing={smoothing} logScale={logScale} onChange={(p) => setView((v) => ({ ...v, ...p }))} testIdPrefix="run-chart" />
      </div>
      {chart(
        'chart-loss',
        t('runs.chart.loss'),
        [
          { key: 'loss', label: t('runs.chart.trainLoss'), color: c.accent, points: s.loss },
          { key: 'evalLoss', label: t('runs.chart.evalLoss'), color: c.warn, points: s.evalLoss, dots: true },
        ],
        formatLoss,
      )}
      {chart('chart-lr', t('runs.chart.lr'), [{ key: 'lr', label: t('runs.chart.lr'), color: c.ok, points: s.lr }], formatLr, empty, false)}
      {chart('chart-grad-norm', t('runs.chart.gradNorm'), [{ key: 'gradNorm', label: t('runs.chart.gradNorm'), color: c.accent, points: s.gradNorm }], formatLoss, noData('runs.chart.noGradNorm'))}
      {chart('chart-throughput', t('runs.chart.throughput'), [{ key: 'rate', label: t('runs.chart.throughput'), color: c.ok, points: s.rate }], formatTokenRate, noData('runs.chart.noThroughput'), false)}
      <GpuMemoryChart run={run} />
    </div>
  );
}
