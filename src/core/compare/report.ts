/** The self-contained HTML report: the table of the chosen runs and their curves as inline SVG, no external assets. */
import type { CompareRow, CurveAxis, CurveMetric, CurveSeries } from '../../shared/types/compare.js';
import { emaSmooth } from '../../shared/util/ema.js';
import { METRIC_COLUMNS } from './csv.js';
import { svgChart } from './svgChart.js';

const esc = (s: string) => s.replace(/[&<>"']/g, (c) => `&#${c.charCodeAt(0)};`);
const AXIS_LABEL: Record<CurveAxis, string> = { step: 'Step', epoch: 'Epoch', tokens: 'Tokens seen', time: 'Time (s)' };
const METRIC_LABEL: Record<CurveMetric, string> = { loss: 'Training loss', eval_loss: 'Eval loss', lr: 'Learning rate' };

function cell(v: unknown): string {
  if (v === null || v === undefined) return '';
  if (typeof v === 'number') return Number.isInteger(v) ? String(v) : String(Number(v.toPrecision(5)));
  return esc(String(v));
}

export interface ReportInput {
  rows: CompareRow[];
  configKeys: string[];
  differingKeys: Set<string>;
  curves: Record<CurveMetric, CurveSeries[]>;
  axis: CurveAxis;
  smoothing: number;
  logScale: boolean;
  generatedAt: Date;
}

export function renderReport(inp: ReportInput): string {
  const head = [...METRIC_COLUMNS.map((c) => c.key), ...inp.configKeys];
  const body = inp.rows
    .map(
      (r) =>
        `<tr>${METRIC_COLUMNS.map((c) => `<td>${cell(c.get(r))}</td>`).join('')}${inp.configKeys
          .map((k) => `<td class="${inp.differingKeys.has(k) ? 'diff' : ''}">${cell(r.config[k])}</td>`)
          .join('')}</tr>`,
    )
    .join('\n');
  const charts = (Object.keys(inp.curves) as CurveMetric[])
    .map((metric) => {
      const series = inp.curves[metric].map((s) => {
        const smooth = emaSmooth(
          s.points.map((p) => p.value),
          metric === 'lr' ? 0 : inp.smoothing,
        );
        return { name: s.name, points: s.points.map((p, i) => ({ ...p, value: smooth[i]! })) };
      });
      const title = `${METRIC_LABEL[metric]}${inp.smoothing > 0 && metric !== 'lr' ? ` (EMA ${inp.smoothing})` : ''}`;
      return `<figure>${svgChart(series, { axis: inp.axis, xLabel: AXIS_LABEL[inp.axis], title, logScale: inp.logScale && metric !== 'lr' })}</figure>`;
    })
    .join('\n');
  return `<!doctype html>
<html lang="en"><head><meta charset="utf-8"><title>Trainyard comparison</title>
<style>
body{font-family:system-ui,sans-serif;margin:24px;color:#222}
table{border-collapse:collapse;font-size:12px}td,th{border:1px solid #ccc;padding:3px 6px;text-align:left;white-space:nowrap}
th{background:#f3f3f3}td.diff{background:#fff3c4}figure{margin:16px 0}.muted{color:#777}
</style></head><body>
<h1>Trainyard comparison</h1>
<p class="muted">${inp.rows.length} runs · generated ${esc(inp.generatedAt.toISOString())} · highlighted config values differ between runs</p>
<div style="overflow-x:auto"><table><thead><tr>${head.map((h) => `<th>${esc(h)}</th>`).join('')}</tr></thead>
<tbody>
${body}
</tbody></table></div>
${charts}
</body></html>
`;
}
