/** One row of the run table: selection, baseline pin, name and status around the metric and config cells. */
import type { CompareRow } from '../../../shared/types/compare.js';
import { useT, type MessageKey } from '../../i18n/index.js';
import { useCompare } from '../../stores/compare.js';

export function RunRow({ row, base, onEvaluate, children }: { row: CompareRow; base: CompareRow | null; onEvaluate: (runId: string) => void; children: React.ReactNode }): React.JSX.Element {
  const t = useT();
  const selected = useCompare((s) => s.selected.includes(row.runId));
  const { toggleSelected, setBaseline } = useCompare.getState();
  const isBase = base === row;
  return (
    <tr className={`${isBase ? 'baseline' : ''} ${selected ? 'selected' : ''}`} data-testid="compare-row" data-run-id={row.runId}>
      <td className="pick">
        <span className="pick-inner">
        <input type="checkbox" checked={selected} onChange={() => toggleSelected(row.runId)} aria-label={t('compare.select')} data-testid="compare-select" />
        <button
          className={`pin ${isBase ? 'on' : ''}`}
          title={isBase ? t('compare.unpinBaseline') : t('compare.pinBaseline')}
          aria-label={isBase ? t('compare.unpinBaseline') : t('compare.pinBaseline')}
          onClick={() => setBaseline(isBase ? null : row.runId)}
          data-testid="compare-pin"
        >
          {isBase ? '★' : '☆'}
        </button>
        </span>
      </td>
      <td className="name" title={row.runId}>
        {row.name}
        {isBase && <span className="badge">{t('compare.baseline')}</span>}
      </td>
      <td>
        <span className={`badge status-${row.status}`}>{t(`compare.status.${row.status}` as MessageKey)}</span>
      </td>
      {children}
      <td>
        <button className="button" onClick={() => onEvaluate(row.runId)} data-testid="compare-evaluate">
          {t('compare.evaluate')}
        </button>
      </td>
    </tr>
  );
}
