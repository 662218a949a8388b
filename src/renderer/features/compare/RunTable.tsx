/** The run table: sortable metric and config columns, differing values highlighted, deltas against a pinned baseline. */
import type { CompareRow, ConfigValue } from '../../../shared/types/compare.js';
import { useT } from '../../i18n/index.js';
import { useCompare } from '../../stores/compare.js';
import { METRIC_COLUMNS } from './columns.js';
import { compareCells, fmtDelta, fmtNum } from './format.js';
import { RunRow } from './RunRow.js';

const deltaClass = (better: 'lower' | 'higher' | undefined, d: number): string =>
  !better || d === 0 ? '' : (d < 0) === (better === 'lower') ? 'better' : 'worse';

const showConfig = (v: ConfigValue | undefined): string => (v === undefined ? '—' : v === null ? 'null' : typeof v === 'number' ? fmtNum(v, 6) : String(v));

export function RunTable({ onEvaluate }: { onEvaluate: (runId: string) => void }): React.JSX.Element {
  const t = useT();
  const { table, onlyDiffering, groupBySweep, sort, baseline, set } = useCompare();
  if (!table) return <div className="empty">{t('compare.loading')}</div>;
  const keys = onlyDiffering ? table.differingKeys : table.configKeys;
  const differing = new Set(table.differingKeys);
  const base = table.rows.find((r) => r.runId === baseline) ?? null;
  const valueOf = (r: CompareRow, key: string): unknown => {
    if (key === 'name') return r.name;
    if (key === 'status') return r.status;
    if (key.startsWith('cfg:')) return r.config[key.slice(4)];
    return METRIC_COLUMNS.find((c) => c.id === key)?.value(r) ?? null;
  };
  let rows = [...table.rows];
  if (sort) rows.sort((a, b) => compareCells(valueOf(a, sort.key), valueOf(b, sort.key), sort.dir));
  // The baseline stays on top so every delta below reads against the first row.
  if (base) rows = [base, ...rows.filter((r) => r !== base)];
  const groups: { sweep: string | null; rows: CompareRow[] }[] = [];
  if (groupBySweep) {
    for (const r of rows) {
      const g = groups.find((x) => x.sweep === r.sweepId) ?? groups[groups.push({ sweep: r.sweepId, rows: [] }) - 1]!;
      g.rows.push(r);
    }
  } else groups.push({ sweep: null, rows });

  const header = (key: string, label: string) => (
    <th
      key={key}
      className={`sortable ${sort?.key === key ? `sorted-${sort.dir}` : ''}`}
      onClick={() => set({ sort: sort?.key === key && sort.dir === 'asc' ? { key, dir: 'desc' } : { key, dir: 'asc' } })}
      data-testid={`compare-col-${key}`}
      aria-sort={sort?.key === key ? (sort.dir === 'asc' ? 'ascending' : 'descending') : 'none'}
    >
      {label}
    </th>
  );
  const span = 4 + METRIC_COLUMNS.length + 1 + keys.length;

  return (
    <div className="compare-table-wrap">
      <table className="table compare-table" data-testid="compare-table">
        <thead>
          <tr>
            <th />
            {header('name', t('compare.col.name'))}
            {header('status', t('compare.col.status'))}
            {METRIC_COLUMNS.map((c) => header(c.id, t(c.label)))}
            <th>{t('compare.col.tags')}</th>
            {keys.map((k) => header(`cfg:${k}`, k))}
            <th />
          </tr>
        </thead>
        <tbody>
          {groups.map((g) => [
            groupBySweep ? (
              <tr key={`g-${g.sweep ?? ''}`} className="compare-group">
                <td colSpan={span}>{g.sweep ? t('compare.sweep', { id: g.sweep }) : t('compare.noSweep')}</td>
              </tr>
            ) : null,
            ...g.rows.map((r) => (
              <RunRow key={r.runId} row={r} base={base} onEvaluate={onEvaluate}>
                {METRIC_COLUMNS.map((c) => {
                  const v = c.value(r);
                  const bv = base ? c.value(base) : null;
                  const delta = c.delta !== false && base && base !== r && typeof v === 'number' && typeof bv === 'number' ? fmtDelta(v, bv) : null;
                  return (
                    <td key={c.id} className="num" data-testid={`cell-${c.id}`}>
                      {c.show(r)}
                      {delta && <span className={`delta ${deltaClass(c.better, (v as number) - (bv as number))}`}>{delta}</span>}
                    </td>
                  );
                })}
                <td className="tags">
                  {r.tags.map((tag) => (
                    <span key={tag} className="badge">
                      {tag}
                    </span>
                  ))}
                  {r.notes && <span className="muted notes">{r.notes}</span>}
                </td>
                {keys.map((k) => {
                  const v = r.config[k];
                  // With a baseline, highlight what differs from it; without one, every value of a differing key.
                  const hi = base ? base !== r && (k in base.config ? base.config[k] !== v : v !== undefined) : differing.has(k);
                  return (
                    <td key={k} className={`mono cfg ${hi ? 'diff' : ''}`} data-testid={`cfg-${k}`}>
                      {r.configError ? <span className="muted">{t('compare.configUnreadable')}</span> : showConfig(v)}
                    </td>
                  );
                })}
              </RunRow>
            )),
          ])}
        </tbody>
      </table>
    </div>
  );
}
