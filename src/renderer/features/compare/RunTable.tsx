/** The run table: sortable metric and config columns, differing values highlighted, deltas against a pinned baseline; only the rows and columns in view are rendered, and the run columns stay pinned. */
import { memo, useMemo, useRef } from 'react';
import { useShallow } from 'zustand/react/shallow';
import { effectiveValue } from '../../../shared/domain/configDiff.js';
import type { CompareRow, CompareTable, ConfigValue } from '../../../shared/types/compare.js';
import { useWindowing, type Window } from '../../components/useWindowing.js';
import { useT } from '../../i18n/index.js';
import { useCompare, type SortDir } from '../../stores/compare.js';
import { METRIC_COLUMNS, type MetricColumn } from './columns.js';
import { compareCells, fmtDelta, fmtNum } from './format.js';
import { RunRowCells } from './RunRow.js';

/** Fixed geometry: windowing needs to know where each row and column is without measuring the DOM. */
export const ROW_HEIGHT = 40;
const HEADER_HEIGHT = 34;
export const PINNED_WIDTHS = { pick: 92, name: 230, status: 100 } as const;
const PINNED = PINNED_WIDTHS.pick + PINNED_WIDTHS.name + PINNED_WIDTHS.status;
const METRIC_WIDTH = 120;
const TAGS_WIDTH = 170;
const CONFIG_WIDTH = 150;

/** A scrolling column: a config key, a metric, or the tags. */
export type Column =
  | { kind: 'metric'; id: string; width: number; metric: MetricColumn }
  | { kind: 'tags'; id: 'tags'; width: number }
  | { kind: 'config'; id: string; width: number; key: string };

export type Item = { kind: 'group'; sweep: string | null } | { kind: 'row'; row: CompareRow };

const deltaClass = (better: 'lower' | 'higher' | undefined, d: number): string =>
  !better || d === 0 ? '' : (d < 0) === (better === 'lower') ? 'better' : 'worse';

export const showConfig = (v: ConfigValue | undefined): string =>
  v === undefined ? '—' : v === null ? 'null' : typeof v === 'number' ? fmtNum(v, 6) : String(v);

function valueOf(r: CompareRow, key: string, defaults: Record<string, ConfigValue>): unknown {
  if (key === 'name') return r.name;
  if (key === 'status') return r.status;
  if (key.startsWith('cfg:')) return effectiveValue(r.config, key.slice(4), defaults);
  return METRIC_COLUMNS.find((c) => c.id === key)?.value(r) ?? null;
}

/** Joined keys: a live tick rebuilds the table object, but its key lists rarely change. */
const SEP = '\u0000';
const splitKeys = (sig: string): string[] => (sig ? sig.split(SEP) : []);

/**
 * The rows in display order (sorted, baseline first, grouped by sweep) and the columns. Columns and the differing set
 * keep their identity while their keys are the same, so a live tick (one row refetched) re-renders that row only.
 */
function useModel(table: CompareTable, onlyDiffering: boolean, groupBySweep: boolean, sort: { key: string; dir: SortDir } | null, baseline: string | null) {
  const keySig = (onlyDiffering ? table.differingKeys : table.configKeys).join(SEP);
  const diffSig = table.differingKeys.join(SEP);
  // What was varied first (by default only the keys that differ: a sweep's grid), then what came of it.
  const columns = useMemo<Column[]>(
    () => [
      ...splitKeys(keySig).map((key) => ({ kind: 'config' as const, id: `cfg:${key}`, width: CONFIG_WIDTH, key })),
      ...METRIC_COLUMNS.map((metric) => ({ kind: 'metric' as const, id: metric.id, width: METRIC_WIDTH, metric })),
      { kind: 'tags', id: 'tags', width: TAGS_WIDTH },
    ],
    [keySig],
  );
  const differing = useMemo(() => new Set(splitKeys(diffSig)), [diffSig]);
  const rowsModel = useMemo(() => {
    const base = table.rows.find((r) => r.runId === baseline) ?? null;
    let rows = [...table.rows];
    if (sort) rows.sort((a, b) => compareCells(valueOf(a, sort.key, table.defaults), valueOf(b, sort.key, table.defaults), sort.dir));
    // The baseline stays on top so every delta below reads against the first row.
    if (base) rows = [base, ...rows.filter((r) => r !== base)];
    const items: Item[] = [];
    if (groupBySweep) {
      const groups = new Map<string | null, CompareRow[]>();
      for (const r of rows) {
        const g = groups.get(r.sweepId);
        if (g) g.push(r);
        else groups.set(r.sweepId, [r]);
      }
      for (const [sweep, rs] of groups) items.push({ kind: 'group', sweep }, ...rs.map((row) => ({ kind: 'row' as const, row })));
    } else items.push(...rows.map((row) => ({ kind: 'row' as const, row })));
    return { items, base };
  }, [table, groupBySweep, sort, baseline]);
  return { ...rowsModel, columns, differing };
}

function SortHeader({ id, label, width, pinnedLeft }: { id: string; label: string; width: number; pinnedLeft?: number }): React.JSX.Element {
  const sort = useCompare((s) => s.sort);
  const sorted = sort?.key === id ? sort.dir : null;
  return (
    <th
      className={`sortable ${sorted ? `sorted-${sorted}` : ''} ${pinnedLeft !== undefined ? 'pinned' : ''}`}
      style={{ width, minWidth: width, maxWidth: width, ...(pinnedLeft !== undefined ? { left: pinnedLeft } : {}) }}
      data-testid={`compare-col-${id}`}
      aria-sort={sorted ? (sorted === 'asc' ? 'ascending' : 'descending') : 'none'}
      title={label}
    >
      <button
        type="button"
        className="th-button"
        onClick={() => useCompare.getState().set({ sort: sort?.key === id && sort.dir === 'asc' ? { key: id, dir: 'desc' } : { key: id, dir: 'asc' } })}
      >
        {label}
      </button>
    </th>
  );
}

const Header = memo(function Header({ columns, win }: { columns: readonly Column[]; win: Window }) {
  const t = useT();
  return (
    <thead>
      <tr style={{ height: HEADER_HEIGHT }}>
        <th className="pinned pick" style={{ width: PINNED_WIDTHS.pick, left: 0 }}>
          <span className="sr-only">{t('compare.select')}</span>
        </th>
        <SortHeader id="name" label={t('compare.col.name')} width={PINNED_WIDTHS.name} pinnedLeft={PINNED_WIDTHS.pick} />
        <SortHeader id="status" label={t('compare.col.status')} width={PINNED_WIDTHS.status} pinnedLeft={PINNED_WIDTHS.pick + PINNED_WIDTHS.name} />
        {win.padLeft > 0 && <th className="pad" style={{ width: win.padLeft, minWidth: win.padLeft }} aria-hidden="true" />}
        {columns.slice(win.colStart, win.colEnd).map((c) =>
          c.kind === 'metric' ? (
            <SortHeader key={c.id} id={c.id} label={t(c.metric.label)} width={c.width} />
          ) : c.kind === 'config' ? (
            <SortHeader key={c.id} id={c.id} label={c.key} width={c.width} />
          ) : (
            <th key={c.id} style={{ width: c.width, minWidth: c.width }}>
              {t('compare.col.tags')}
            </th>
          ),
        )}
        {win.padRight > 0 && <th className="pad" style={{ width: win.padRight, minWidth: win.padRight }} aria-hidden="true" />}
      </tr>
    </thead>
  );
});

export function RunTable({ onEvaluate }: { onEvaluate: (runId: string) => void }): React.JSX.Element {
  const t = useT();
  // Only what shapes the table: a selection, a curve or a toolbar change does not re-render it.
  const { table, onlyDiffering, groupBySweep, sort, baseline } = useCompare(
    useShallow((s) => ({ table: s.table, onlyDiffering: s.onlyDiffering, groupBySweep: s.groupBySweep, sort: s.sort, baseline: s.baseline })),
  );
  const scroller = useRef<HTMLDivElement>(null);
  if (!table) return <div className="empty">{t('compare.loading')}</div>;
  return <Grid table={table} onlyDiffering={onlyDiffering} groupBySweep={groupBySweep} sort={sort} baseline={baseline} scroller={scroller} onEvaluate={onEvaluate} />;
}

function Grid(props: {
  table: CompareTable;
  onlyDiffering: boolean;
  groupBySweep: boolean;
  sort: { key: string; dir: SortDir } | null;
  baseline: string | null;
  scroller: React.RefObject<HTMLDivElement | null>;
  onEvaluate: (runId: string) => void;
}): React.JSX.Element {
  const t = useT();
  const { items, columns, base, differing } = useModel(props.table, props.onlyDiffering, props.groupBySweep, props.sort, props.baseline);
  const widths = useMemo(() => columns.map((c) => c.width), [columns]);
  const win = useWindowing(props.scroller, { rows: items.length, rowHeight: ROW_HEIGHT, headerHeight: HEADER_HEIGHT, colWidths: widths, pinnedWidth: PINNED });
  const visibleCols = useMemo(() => columns.slice(win.colStart, win.colEnd), [columns, win.colStart, win.colEnd]);
  const span = 3 + visibleCols.length + (win.padLeft > 0 ? 1 : 0) + (win.padRight > 0 ? 1 : 0);
  return (
    <div className="compare-table-wrap" ref={props.scroller} data-testid="compare-table-wrap">
      <table className="table compare-table" data-testid="compare-table" aria-rowcount={items.length + 1} aria-colcount={3 + columns.length}>
        <Header columns={columns} win={win} />
        <tbody>
          {win.padTop > 0 && <tr style={{ height: win.padTop }} aria-hidden="true" className="pad" />}
          {items.slice(win.rowStart, win.rowEnd).map((it, i) =>
            it.kind === 'group' ? (
              <tr key={`g-${it.sweep ?? ''}`} className="compare-group" style={{ height: ROW_HEIGHT }} aria-rowindex={win.rowStart + i + 2}>
                <td colSpan={span}>{it.sweep ? t('compare.sweep', { id: it.sweep }) : t('compare.noSweep')}</td>
              </tr>
            ) : (
              <RunRowCells
                key={it.row.runId}
                row={it.row}
                base={base}
                columns={visibleCols}
                padLeft={win.padLeft}
                padRight={win.padRight}
                differing={differing}
                defaults={props.table.defaults}
                rowIndex={win.rowStart + i + 2}
                onEvaluate={props.onEvaluate}
              />
            ),
          )}
          {win.padBottom > 0 && <tr style={{ height: win.padBottom }} aria-hidden="true" className="pad" />}
        </tbody>
      </table>
    </div>
  );
}

/** The content of one scrolling cell of a row. */
export function Cell({ col, row, base, differing, defaults }: {
  col: Column;
  row: CompareRow;
  base: CompareRow | null;
  differing: ReadonlySet<string>;
  defaults: Record<string, ConfigValue>;
}): React.JSX.Element {
  const t = useT();
  if (col.kind === 'metric') {
    const c = col.metric;
    const v = c.value(row);
    const bv = base ? c.value(base) : null;
    const d = c.delta !== false && base && base !== row && typeof v === 'number' && typeof bv === 'number' ? { text: fmtDelta(v, bv), diff: v - bv } : null;
    return (
      <td className="num" data-testid={`cell-${c.id}`}>
        {c.show(row)}
        {d && <span className={`delta ${deltaClass(c.better, d.diff)}`}>{d.text}</span>}
      </td>
    );
  }
  if (col.kind === 'tags') {
    return (
      <td className="tags">
        {row.tags.map((tag) => (
          <span key={tag} className="badge">
            {tag}
          </span>
        ))}
        {row.notes && <span className="muted notes">{row.notes}</span>}
      </td>
    );
  }
  const own = col.key in row.config;
  const v = effectiveValue(row.config, col.key, defaults);
  // With a baseline, highlight what differs from it; without one, every value of a differing key. Unset keys count at
  // their default (LLaMA-Factory's), so "not set" and "set to the default" are the same.
  const hi = base ? base !== row && effectiveValue(base.config, col.key, defaults) !== v : differing.has(col.key);
  return (
    <td className={`mono cfg ${hi ? 'diff' : ''} ${own ? '' : 'default'}`} data-testid={`cfg-${col.key}`} title={own ? undefined : t('compare.defaultValue')}>
      {row.configError ? <span className="muted">{t('compare.configUnreadable')}</span> : showConfig(v)}
    </td>
  );
}
