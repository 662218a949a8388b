/** Number formatting of the compare view (losses, MiB, percentages; durations use the one clock of i18n/format.ts) and the cell comparison for sorting. */

export function fmtNum(v: number | null | undefined, digits = 4): string {
  if (v === null || v === undefined || !Number.isFinite(v)) return '—';
  const a = Math.abs(v);
  if (a !== 0 && (a < 1e-3 || a >= 1e6)) return v.toExponential(2);
  return String(Number(v.toPrecision(digits)));
}

export function fmtMiB(v: number | null): string {
  return v === null ? '—' : v >= 1024 ? `${(v / 1024).toFixed(1)} GiB` : `${Math.round(v)} MiB`;
}

export function fmtPct(v: number | null | undefined): string {
  return v === null || v === undefined ? '—' : `${(v * 100).toFixed(0)}%`;
}

export function fmtMs(v: number | null | undefined): string {
  if (v === null || v === undefined) return '—';
  return v >= 1000 ? `${(v / 1000).toFixed(2)} s` : `${Math.round(v)} ms`;
}

export function fmtDelta(v: number, base: number): string {
  const d = v - base;
  if (d === 0) return '±0';
  return `${d > 0 ? '+' : '−'}${fmtNum(Math.abs(d), 3)}`;
}

/** Nulls sort last in both directions: a missing figure is never "the best". */
export function compareCells(a: unknown, b: unknown, dir: 'asc' | 'desc'): number {
  const na = a === null || a === undefined || a === '';
  const nb = b === null || b === undefined || b === '';
  if (na || nb) return na && nb ? 0 : na ? 1 : -1;
  const r = typeof a === 'number' && typeof b === 'number' ? a - b : String(a).localeCompare(String(b), undefined, { numeric: true });
  return dir === 'asc' ? r : -r;
}
