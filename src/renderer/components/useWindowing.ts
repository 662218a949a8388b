/** Windowing for big grids: which rows and columns of a scroll container are in view (plus a margin), so only those are rendered. */
import { useEffect, useState, type RefObject } from 'react';

export interface Window {
  /** First and one-past-last row index to render, and the space the rows outside take above and below. */
  rowStart: number;
  rowEnd: number;
  padTop: number;
  padBottom: number;
  /** The same for the scrolling (non-pinned) columns. */
  colStart: number;
  colEnd: number;
  padLeft: number;
  padRight: number;
}

/** Index of the first offset greater than x (offsets ascending). */
function firstAbove(offsets: readonly number[], x: number): number {
  let lo = 0;
  let hi = offsets.length;
  while (lo < hi) {
    const mid = (lo + hi) >> 1;
    if (offsets[mid]! <= x) lo = mid + 1;
    else hi = mid;
  }
  return lo;
}

/**
 * Rows have one fixed height; columns have their own widths, after `pinnedWidth` pixels of columns that never scroll
 * away (and so are always rendered). Recomputes on scroll and resize only, rounded to whole rows and columns, so
 * scrolling within a row re-renders nothing.
 */
export function useWindowing(
  ref: RefObject<HTMLElement | null>,
  opts: { rows: number; rowHeight: number; headerHeight: number; colWidths: readonly number[]; pinnedWidth: number; overscanRows?: number; overscanCols?: number },
): Window {
  const { rows, rowHeight, headerHeight, colWidths, pinnedWidth, overscanRows = 6, overscanCols = 2 } = opts;
  const [view, setView] = useState({ top: 0, left: 0, height: 800, width: 1200 });
  useEffect(() => {
    const el = ref.current;
    if (!el) return;
    const read = () => setView((v) => {
      const next = { top: el.scrollTop, left: el.scrollLeft, height: el.clientHeight || v.height, width: el.clientWidth || v.width };
      return next.top === v.top && next.left === v.left && next.height === v.height && next.width === v.width ? v : next;
    });
    read();
    el.addEventListener('scroll', read, { passive: true });
    const ro = typeof ResizeObserver === 'undefined' ? null : new ResizeObserver(read);
    ro?.observe(el);
    return () => {
      el.removeEventListener('scroll', read);
      ro?.disconnect();
    };
  }, [ref]);

  const first = Math.max(0, Math.floor((view.top - headerHeight) / rowHeight) - overscanRows);
  const last = Math.min(rows, Math.ceil((view.top + view.height) / rowHeight) + overscanRows);
  const offsets: number[] = [];
  let x = 0;
  for (const w of colWidths) {
    offsets.push(x);
    x += w;
  }
  const visibleLeft = view.left;
  const visibleRight = view.left + Math.max(0, view.width - pinnedWidth);
  const colStart = Math.max(0, firstAbove(offsets, visibleLeft) - 1 - overscanCols);
  const colEnd = Math.min(colWidths.length, firstAbove(offsets, visibleRight) + overscanCols);
  return {
    rowStart: first,
    rowEnd: Math.max(first, last),
    padTop: first * rowHeight,
    padBottom: Math.max(0, rows - Math.max(first, last)) * rowHeight,
    colStart,
    colEnd: Math.max(colStart, colEnd),
    padLeft: offsets[colStart] ?? 0,
    padRight: Math.max(0, x - (offsets[colEnd] ?? x)),
  };
}
