/** Draws overlaid curves as a standalone SVG string (for the HTML report: no scripts, no external assets). */
import type { CurveAxis, CurvePoint } from '../../shared/types/compare.js';

export const PALETTE = ['#4e79a7', '#f28e2b', '#e15759', '#76b7b2', '#59a14f', '#edc948', '#b07aa1', '#ff9da7', '#9c755f', '#bab0ac'];

export interface SvgSeries {
  name: string;
  points: CurvePoint[];
}

const esc = (s: string) => s.replace(/[&<>"']/g, (c) => `&#${c.charCodeAt(0)};`);

export const xOf = (p: CurvePoint, axis: CurveAxis): number | null =>
  axis === 'step' ? p.step : axis === 'epoch' ? p.epoch : axis === 'tokens' ? p.tokens : p.time;

function fmt(v: number): string {
  const a = Math.abs(v);
  if (a !== 0 && (a < 1e-3 || a >= 1e5)) return v.toExponential(1);
  return String(Math.round(v * 1000) / 1000);
}

export function svgChart(series: SvgSeries[], opts: { axis: CurveAxis; xLabel: string; title: string; logScale: boolean; width?: number; height?: number }): string {
  const W = opts.width ?? 720;
  const H = opts.height ?? 320;
  const m = { l: 64, r: 16, t: 28, b: 44 };
  const ty = (v: number) => (opts.logScale ? Math.log10(v) : v);
  const pts = series.map((s) =>
    s.points.flatMap((p) => {
      const x = xOf(p, opts.axis);
      const y = p.value;
      return x === null || !Number.isFinite(y) || (opts.logScale && y <= 0) ? [] : [[x, ty(y)] as const];
    }),
  );
  const all = pts.flat();
  const head = `<svg xmlns="http://www.w3.org/2000/svg" width="${W}" height="${H}" viewBox="0 0 ${W} ${H}" font-family="sans-serif" font-size="11">`;
  const title = `<text x="${m.l}" y="16" font-size="13" font-weight="bold">${esc(opts.title)}</text>`;
  if (!all.length) return `${head}${title}<text x="${W / 2}" y="${H / 2}" text-anchor="middle" fill="#888">—</text></svg>`;
  let [x0, x1, y0, y1] = [Infinity, -Infinity, Infinity, -Infinity];
  for (const [x, y] of all) {
    x0 = Math.min(x0, x);
    x1 = Math.max(x1, x);
    y0 = Math.min(y0, y);
    y1 = Math.max(y1, y);
  }
  if (x1 === x0) x1 = x0 + 1;
  if (y1 === y0) y1 = y0 + 1;
  const sx = (x: number) => m.l + ((x - x0) / (x1 - x0)) * (W - m.l - m.r);
  const sy = (y: number) => H - m.b - ((y - y0) / (y1 - y0)) * (H - m.t - m.b);
  const ticks: string[] = [];
  for (let i = 0; i <= 4; i++) {
    const yv = y0 + ((y1 - y0) * i) / 4;
    const xv = x0 + ((x1 - x0) * i) / 4;
    const yl = opts.logScale ? Math.pow(10, yv) : yv;
    ticks.push(
      `<line x1="${m.l}" x2="${W - m.r}" y1="${sy(yv).toFixed(1)}" y2="${sy(yv).toFixed(1)}" stroke="#ddd"/>`,
      `<text x="${m.l - 6}" y="${(sy(yv) + 4).toFixed(1)}" text-anchor="end">${fmt(yl)}</text>`,
      `<text x="${sx(xv).toFixed(1)}" y="${H - m.b + 16}" text-anchor="middle">${fmt(xv)}</text>`,
    );
  }
  const lines = pts.map((p, i) => {
    const d = p.map(([x, y], j) => `${j ? 'L' : 'M'}${sx(x).toFixed(1)},${sy(y).toFixed(1)}`).join('');
    return `<path d="${d}" fill="none" stroke="${PALETTE[i % PALETTE.length]}" stroke-width="1.5"><title>${esc(series[i]!.name)}</title></path>`;
  });
  const legend = series.map(
    (s, i) =>
      `<g transform="translate(${m.l + 8 + (i % 4) * 160},${m.t + 4 + Math.floor(i / 4) * 14})"><rect width="10" height="3" y="-4" fill="${PALETTE[i % PALETTE.length]}"/><text x="14">${esc(s.name.slice(0, 22))}</text></g>`,
  );
  const xLabel = `<text x="${(m.l + W - m.r) / 2}" y="${H - 8}" text-anchor="middle">${esc(opts.xLabel)}</text>`;
  return `${head}${title}${ticks.join('')}<rect x="${m.l}" y="${m.t}" width="${W - m.l - m.r}" height="${H - m.t - m.b}" fill="none" stroke="#999"/>${lines.join('')}${legend.join('')}${xLabel}</svg>`;
}
