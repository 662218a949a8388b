/** One row of the run table: selection, baseline pin, name and status pinned on the left, then the cells in view; re-rendered only when its own data or the window changes. */
import { memo } from 'react';
import type { CompareRow, ConfigValue } from '../../../shared/types/compare.js';
import { useT, type MessageKey } from '../../i18n/index.js';
import { useCompare } from '../../stores/compare.js';
import { Cell, PINNED_WIDTHS, ROW_HEIGHT, type Column } from './RunTable.js';

interface Props {
  row: CompareRow;
  base: CompareRow | null;
  columns: readonly Column[];
  padLeft: number;
  padRight: number;
  differing: ReadonlySet<string>;
  defaults: Record<string, ConfigValue>;
  rowIndex: number;
  onEvaluate: (runId: string) => void;
}

export const RunRowCells = memo(function RunRowCells({ row, base, columns, padLeft, padRight, differing, defaults, rowIndex, onEvaluate }: Props): React.JSX.Element {
  const t = useT();
  // Each row follows its own selection: ticking a run re-renders that row, not the table.
  const selected = useCompare((s) => s.selected.includes(row.runId));
  const { toggleSelected, setBaseline } = useCompare.getState();
  const isBase = base === row;
  return (
    <tr
      className={`${isBase ? 'baseline' : ''} ${selected ? 'selected' : ''}`}
      style={{ height: ROW_HEIGHT }}
      data-testid="compare-row"
      data-run-id={row.runId}
      aria-rowindex={rowIndex}
    >
      <td className="pick pinned" style={{ left: 0, width: PINNED_WIDTHS.pick }}>
        <span className="pick-inner">
          <input type="checkbox" checked={selected} onChange={() => toggleSelected(row.runId)} aria-label={t('compare.selectRun', { name: row.name })} data-testid="compare-select" />
          <button
            type="button"
            className={`pin ${isBase ? 'on' : ''}`}
            title={isBase ? t('compare.unpinBaseline') : t('compare.pinBaseline')}
            aria-label={isBase ? t('compare.unpinBaseline') : t('compare.pinBaseline')}
            aria-pressed={isBase}
            onClick={() => setBaseline(isBase ? null : row.runId)}
            data-testid="compare-pin"
          >
            {isBase ? '★' : '☆'}
          </button>
          <button type="button" className="pin" title={t('compare.evaluate')} aria-label={t('compare.evaluateRun', { name: row.name })} onClick={() => onEvaluate(row.runId)} data-testid="compare-evaluate">
            ⚗
          </button>
        </span>
      </td>
      <td className="name pinned" title={row.name} style={{ left: PINNED_WIDTHS.pick, width: PINNED_WIDTHS.name, maxWidth: PINNED_WIDTHS.name }}>
        {row.name}
        {isBase && <span className="badge">{t('compare.baseline')}</span>}
      </td>
      <td className="pinned" style={{ left: PINNED_WIDTHS.pick + PINNED_WIDTHS.name, width: PINNED_WIDTHS.status }}>
        <span className={`badge status-${row.status}`}>{t(`compare.status.${row.status}` as MessageKey)}</span>
      </td>
      {padLeft > 0 && <td className="pad" aria-hidden="true" />}
      {columns.map((c) => (
        <Cell key={c.id} col={c} row={row} base={base} differing={differing} defaults={defaults} />
      ))}
      {padRight > 0 && <td className="pad" aria-hidden="true" />}
    </tr>
  );
});
