/** Reads the theme's CSS variables for SVG charts (presentation attributes cannot use var()) and follows theme changes. */
import { useEffect, useState } from 'react';

export interface ChartColors {
  text: string;
  muted: string;
  border: string;
  bg: string;
  accent: string;
  ok: string;
  warn: string;
  err: string;
  info: string;
  reserved: string;
}

function read(): ChartColors {
  const css = getComputedStyle(document.documentElement);
  const v = (name: string, fallback: string) => css.getPropertyValue(name).trim() || fallback;
  return {
    text: v('--text', '#e6e9ee'),
    muted: v('--text-muted', '#8d97a5'),
    border: v('--border', '#29303a'),
    bg: v('--bg-elev', '#161a20'),
    accent: v('--accent', '#3b82f6'),
    ok: v('--ok', '#22c55e'),
    warn: v('--warn', '#f59e0b'),
    err: v('--err', '#ef4444'),
    info: v('--info', '#38bdf8'),
    reserved: v('--mem-reserved', '#a78bfa'),
  };
}

/** Re-reads the colours when App switches `data-theme` on <html>. */
export function useChartColors(): ChartColors {
  const [colors, setColors] = useState(read);
  useEffect(() => {
    const mo = new MutationObserver(() => setColors(read()));
    mo.observe(document.documentElement, { attributes: true, attributeFilter: ['data-theme'] });
    return () => mo.disconnect();
  }, []);
  return colors;
}

/** Distinct line colours for series without a meaning of their own (one per GPU, one per run). */
export function paletteColor(c: ChartColors, i: number): string {
  const list = [c.accent, c.warn, c.ok, c.reserved, c.info, c.err];
  return list[i % list.length]!;
}
