/** A themed recharts line chart: series of {x, y} downsampled with LTTB, vertical and horizontal markers, empty state. */
import { useMemo } from 'react';
import {
  CartesianGrid,
  Legend,
  Line,
  LineChart as RLineChart,
  ReferenceLine,
  ResponsiveContainer,
  Tooltip,
  XAxis,
  YAxis,
} from 'recharts';
import { canUseLogScale, mergeSeries, type XY } from './shape.js';
import { useChartColors } from './themeColors.js';
import './charts.css';

export interface ChartSeries {
  key: string;
  label: string;
  color: string;
  points: readonly XY[];
  dashed?: boolean;
  /** Draw dots (sparse series such as eval loss, where each point matters). */
  dots?: boolean;
}

export interface ChartMarker {
  at: number;
  label: string;
  color?: string;
}

interface Props {
  series: ChartSeries[];
  /** Vertical lines at x (e.g. where a resumed segment starts). */
  xMarkers?: ChartMarker[];
  /** Horizontal lines at y (e.g. the memory estimate). */
  yMarkers?: ChartMarker[];
  /** Points kept per series; the default suits a chart a few hundred pixels wide. */
  maxPoints?: number;
  height?: number;
  logScale?: boolean;
  formatX?: (x: number) => string;
  formatY?: (y: number) => string;
  xLabel?: string;
  emptyText: string;
  testId?: string;
}

export function LineChart(props: Props): React.JSX.Element {
  const c = useChartColors();
  const { series, maxPoints = 600, height = 220 } = props;
  const rows = useMemo(() => mergeSeries(series, maxPoints), [series, maxPoints]);
  const log = props.logScale === true && canUseLogScale(series);
  const total = series.reduce((n, s) => n + s.points.length, 0);
  // A series with no points yet (eval loss before the first eval) would only add a confusing legend entry.
  const drawn = series.filter((s) => s.points.length > 0);
  const fmtX = props.formatX ?? String;
  const fmtY = props.formatY ?? String;
  return (
    <div className="chart" data-testid={props.testId} data-points={total}>
      {total === 0 ? (
        <div className="chart-empty muted" style={{ height }}>
          {props.emptyText}
        </div>
      ) : (
        <ResponsiveContainer width="100%" height={height}>
          <RLineChart data={rows} margin={{ top: 8, right: 16, bottom: 4, left: 0 }}>
            <CartesianGrid stroke={c.border} strokeDasharray="3 3" />
            <XAxis
              dataKey="x"
              type="number"
              domain={['dataMin', 'dataMax']}
              tickFormatter={fmtX}
              stroke={c.muted}
              fontSize={11}
              label={props.xLabel ? { value: props.xLabel, position: 'insideBottomRight', offset: -2, fill: c.muted, fontSize: 11 } : undefined}
            />
            <YAxis
              scale={log ? 'log' : 'auto'}
              domain={['auto', 'auto']}
              allowDataOverflow={log}
              tickFormatter={fmtY}
              stroke={c.muted}
              fontSize={11}
              width={62}
            />
            <Tooltip
              contentStyle={{ background: c.bg, border: `1px solid ${c.border}`, borderRadius: 8, color: c.text, fontSize: 12 }}
              labelFormatter={(x) => fmtX(Number(x))}
              formatter={(v) => fmtY(Number(v))}
              isAnimationActive={false}
            />
            {drawn.length > 1 && <Legend wrapperStyle={{ fontSize: 12 }} />}
            {drawn.map((s) => (
              <Line
                key={s.key}
                // Straight segments: a smoothing curve would draw values (overshoots) that were never measured.
                type="linear"
                dataKey={s.key}
                name={s.label}
                stroke={s.color}
                strokeWidth={1.6}
                strokeDasharray={s.dashed ? '5 3' : undefined}
                dot={s.dots ? { r: 2.5, fill: s.color } : false}
                connectNulls
                isAnimationActive={false}
              />
            ))}
            {props.xMarkers?.map((m) => (
              <ReferenceLine
                key={`x${m.at}`}
                x={m.at}
                stroke={m.color ?? c.warn}
                strokeDasharray="4 3"
                label={{ value: m.label, position: 'insideTopLeft', fill: m.color ?? c.warn, fontSize: 11 }}
              />
            ))}
            {props.yMarkers?.map((m) => (
              <ReferenceLine
                key={`y${m.at}`}
                y={m.at}
                stroke={m.color ?? c.reserved}
                strokeDasharray="4 3"
                label={{ value: m.label, position: 'insideTopRight', fill: m.color ?? c.reserved, fontSize: 11 }}
              />
            ))}
          </RLineChart>
        </ResponsiveContainer>
      )}
    </div>
  );
}
