/** Overlaid curves of the selected runs: metric tabs, x-axis choice, EMA smoothing, log scale, a tooltip with every run's value. */
import { useMemo } from 'react';
import { CartesianGrid, Legend, Line, LineChart, ResponsiveContainer, Tooltip, XAxis, YAxis } from 'recharts';
import type { CurveAxis, CurveMetric, CurvePoint } from '../../../shared/types/compare.js';
import { emaSmooth } from '../../../shared/util/ema.js';
import { useT, type MessageKey } from '../../i18n/index.js';
import { CurveControls } from '../../components/charts/CurveControls.js';
import { useCompare } from '../../stores/compare.js';
import { fmtNum } from './format.js';

const COLORS = ['#4e79a7', '#f28e2b', '#e15759', '#76b7b2', '#59a14f', '#edc948', '#b07aa1', '#ff9da7', '#9c755f', '#bab0ac'];
const METRICS: CurveMetric[] = ['loss', 'eval_loss', 'lr'];
const AXES: CurveAxis[] = ['step', 'epoch', 'tokens', 'time'];

const xOf = (p: CurvePoint, axis: CurveAxis): number | null => (axis === 'step' ? p.step : axis === 'epoch' ? p.epoch : axis === 'tokens' ? p.tokens : p.time);

export function CurvesPanel(): React.JSX.Element {
  const t = useT();
  const { curves, metric, axis, smoothing, logScale, selected, setMetric, set, curvesError } = useCompare();
  // One row per distinct x with a column per run: recharts' shared tooltip then lists every run at that x.
  const data = useMemo(() => {
    const byX = new Map<number, Record<string, number>>();
    curves.forEach((s, i) => {
      const sm = emaSmooth(
        s.points.map((p) => p.value),
        metric === 'lr' ? 0 : smoothing,
      );
      s.points.forEach((p, j) => {
        const x = xOf(p, axis);
        const y = sm[j]!;
        if (x === null || !Number.isFinite(y) || (logScale && y <= 0)) return;
        const row = byX.get(x) ?? { x };
        row[`r${i}`] = y;
        byX.set(x, row);
      });
    });
    return [...byX.values()].sort((a, b) => a.x! - b.x!);
  }, [curves, metric, axis, smoothing, logScale]);
  const axisLabel = t(`compare.axis.${axis}` as MessageKey);

  return (
    <section className="panel compare-curves" data-testid="compare-curves">
      <div className="compare-curves-bar">
        <h2>{t('compare.curves.title')}</h2>
        <div className="tabs" role="tablist">
          {METRICS.map((m) => (
            <button key={m} role="tab" aria-selected={metric === m} className={`button ${metric === m ? 'primary' : ''}`} onClick={() => setMetric(m)} data-testid={`compare-metric-${m}`}>
              {t(`compare.metric.${m}` as MessageKey)}
            </button>
          ))}
        </div>
        <CurveControls axes={AXES} axis={axis} smoothing={smoothing} logScale={logScale} onChange={set} testIdPrefix="compare" />
      </div>
      {curvesError && <div className="error">{curvesError}</div>}
      {!selected.length ? (
        <div className="empty">{t('compare.curves.pick')}</div>
      ) : !data.length ? (
        <div className="empty">{t('compare.curves.empty', { metric: t(`compare.metric.${metric}` as MessageKey) })}</div>
      ) : (
        <div className="compare-chart" data-testid="compare-chart">
          <ResponsiveContainer width="100%" height={320}>
            <LineChart data={data} margin={{ top: 8, right: 24, bottom: 24, left: 8 }}>
              <CartesianGrid stroke="var(--border)" strokeDasharray="3 3" />
              <XAxis
                dataKey="x"
                type="number"
                domain={['dataMin', 'dataMax']}
                tickFormatter={(v: number) => fmtNum(v, 3)}
                label={{ value: axisLabel, position: 'insideBottom', offset: -12, fill: 'var(--text-muted)' }}
                stroke="var(--text-muted)"
              />
              <YAxis scale={logScale ? 'log' : 'auto'} domain={['auto', 'auto']} allowDataOverflow tickFormatter={(v: number) => fmtNum(v, 3)} stroke="var(--text-muted)" width={64} />
              <Tooltip
                formatter={(v) => fmtNum(Number(v), 5)}
                labelFormatter={(x) => `${axisLabel}: ${fmtNum(Number(x), 5)}`}
                contentStyle={{ background: 'var(--bg-elev)', border: '1px solid var(--border)' }}
              />
              <Legend verticalAlign="top" height={28} />
              {curves.map((s, i) => (
                <Line key={s.runId} dataKey={`r${i}`} name={s.name} stroke={COLORS[i % COLORS.length]} dot={false} connectNulls isAnimationActive={false} strokeWidth={1.6} />
              ))}
            </LineChart>
          </ResponsiveContainer>
        </div>
      )}
    </section>
  );
}
