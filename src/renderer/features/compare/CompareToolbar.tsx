/** Filters (status, tag, task, sweep, dates, text), the differing/grouping toggles and the CSV/HTML export buttons. */
import { useShallow } from 'zustand/react/shallow';
import type { RunStatus } from '../../../shared/types/run.js';
import { errorMessage } from '../../i18n/errorMessage.js';
import { useT, type MessageKey } from '../../i18n/index.js';
import { useCompare } from '../../stores/compare.js';
import { localToast } from '../../stores/toasts.js';
import { CompareTensorBoard } from './CompareTensorBoard.js';

const STATUSES: RunStatus[] = ['finished', 'failed', 'stopped', 'running', 'lost'];

/** A download from text: a Blob URL clicked through a transient link (works in the browser and in Electron). */
export function download(text: string, fileName: string, type: string): void {
  const url = URL.createObjectURL(new Blob([text], { type }));
  const a = document.createElement('a');
  a.href = url;
  a.download = fileName;
  document.body.appendChild(a);
  a.click();
  a.remove();
  setTimeout(() => URL.revokeObjectURL(url), 10_000);
}

const dayMs = (s: string, end: boolean): number | undefined => (s ? new Date(`${s}T${end ? '23:59:59' : '00:00:00'}`).getTime() : undefined);
const dayStr = (ms: number | undefined): string => (ms === undefined ? '' : new Date(ms).toLocaleDateString('sv-SE'));

export function CompareToolbar(): React.JSX.Element {
  const t = useT();
  const { table, filter, setFilter, onlyDiffering, groupBySweep, selected, set } = useCompare(
    useShallow((s) => ({
      table: s.table,
      filter: s.filter,
      setFilter: s.setFilter,
      onlyDiffering: s.onlyDiffering,
      groupBySweep: s.groupBySweep,
      selected: s.selected,
      set: s.set,
    })),
  );
  const facets = table?.facets ?? { tags: [], tasks: [], sweeps: [] };
  const toast = (msg: string) => localToast('error', msg);
  const exportCsv = async () => {
    try {
      const r = await useCompare.getState().exportCsv();
      download(r.csv, r.fileName, 'text/csv;charset=utf-8');
    } catch (e) {
      toast(errorMessage(e));
    }
  };
  const exportHtml = async () => {
    try {
      const r = await useCompare.getState().exportHtml();
      download(r.html, r.fileName, 'text/html;charset=utf-8');
    } catch (e) {
      toast(errorMessage(e));
    }
  };
  const select = (label: MessageKey, value: string | undefined, options: string[], on: (v: string) => void, testId: string, show = (o: string) => o) => (
    <label className="compare-field">
      <span>{t(label)}</span>
      <select value={value ?? ''} onChange={(e) => on(e.target.value)} data-testid={testId}>
        <option value="">{t('compare.filter.any')}</option>
        {options.map((o) => (
          <option key={o} value={o}>
            {show(o)}
          </option>
        ))}
      </select>
    </label>
  );
  return (
    <div className="compare-toolbar panel">
      {select('compare.filter.status', filter.status?.[0], STATUSES, (v) => setFilter({ status: v ? [v as RunStatus] : undefined }), 'compare-filter-status', (s) =>
        t(`compare.status.${s}` as MessageKey),
      )}
      {select('compare.filter.tag', filter.tag, facets.tags, (v) => setFilter({ tag: v || undefined }), 'compare-filter-tag')}
      {select('compare.filter.task', filter.taskId, facets.tasks.map((x) => x.id), (v) => setFilter({ taskId: v || undefined }), 'compare-filter-task', (id) =>
        facets.tasks.find((x) => x.id === id)?.name ?? id,
      )}
      {select('compare.filter.sweep', filter.sweepId, facets.sweeps, (v) => setFilter({ sweepId: v || undefined }), 'compare-filter-sweep')}
      <label className="compare-field">
        <span>{t('compare.filter.from')}</span>
        <input type="date" value={dayStr(filter.from)} onChange={(e) => setFilter({ from: dayMs(e.target.value, false) })} />
      </label>
      <label className="compare-field">
        <span>{t('compare.filter.to')}</span>
        <input type="date" value={dayStr(filter.to)} onChange={(e) => setFilter({ to: dayMs(e.target.value, true) })} />
      </label>
      <input
        className="compare-search"
        type="search"
        placeholder={t('compare.filter.search')}
        aria-label={t('compare.filter.search')}
        defaultValue={filter.text ?? ''}
        onChange={(e) => setFilter({ text: e.target.value || undefined })}
      />
      <label className="compare-toggle">
        <input type="checkbox" checked={onlyDiffering} onChange={(e) => set({ onlyDiffering: e.target.checked })} data-testid="compare-only-differing" />
        {t('compare.onlyDiffering')}
      </label>
      <label className="compare-toggle">
        <input type="checkbox" checked={groupBySweep} onChange={(e) => set({ groupBySweep: e.target.checked })} data-testid="compare-group-sweep" />
        {t('compare.groupBySweep')}
      </label>
      <span className="spacer" />
      <CompareTensorBoard selected={selected} />
      <button className="button" onClick={() => void exportCsv()} data-testid="compare-export-csv">
        {t('compare.exportCsv')}
      </button>
      <button className="button" onClick={() => void exportHtml()} disabled={!selected.length} title={selected.length ? undefined : t('compare.exportHtmlHint')} data-testid="compare-export-html">
        {t('compare.exportHtml')}
      </button>
    </div>
  );
}
