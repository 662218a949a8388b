/** The run list: every run, active ones first, filterable by status; a row opens the run's page. */
import { useMemo, useState } from 'react';
import { useT, type MessageKey } from '../../i18n/index.js';
import { useRuns } from '../../stores/runs.js';
import { RunRow } from './RunRow.js';
import { countByFilter, groupRuns, STATUS_FILTERS, type StatusFilter } from './runList.js';
import { useNow } from './useNow.js';

export function RunList(): React.JSX.Element {
  const t = useT();
  const { runs, loaded, loadError, load } = useRuns();
  const [filter, setFilter] = useState<StatusFilter>('all');
  const all = useMemo(() => Object.values(runs), [runs]);
  const { active, done } = useMemo(() => groupRuns(all, filter), [all, filter]);
  const counts = useMemo(() => countByFilter(all), [all]);
  const now = useNow(active.length > 0);

  const header = (
    <h1 className="page-title">
      {t('runs.title')}
      <span className="spacer" />
      <div className="run-filters" role="tablist" aria-label={t('runs.filter')}>
        {STATUS_FILTERS.map((f) => (
          <button
            key={f}
            role="tab"
            aria-selected={filter === f}
            className={`chip ${filter === f ? 'active' : ''}`}
            data-testid={`runs-filter-${f}`}
            onClick={() => setFilter(f)}
          >
            {t(`runs.filter.${f}` as MessageKey)} <span className="muted">{counts[f]}</span>
          </button>
        ))}
      </div>
    </h1>
  );

  if (!loaded) return <>{header}<p className="muted">{t('common.loading')}</p></>;
  if (loadError && !all.length)
    return (
      <>
        {header}
        <div className="empty" role="alert">
          {t('runs.loadFailed', { error: loadError })}{' '}
          <button className="button" onClick={() => void load()}>
            {t('common.retry')}
          </button>
        </div>
      </>
    );
  if (!all.length) return <>{header}<div className="empty" data-testid="runs-empty">{t('runs.none')}</div></>;

  const columns: MessageKey[] = ['runs.col.status', 'runs.col.name', 'runs.col.gpus', 'runs.col.progress', 'runs.col.loss', 'runs.col.duration', 'runs.col.started'];
  return (
    <>
      {header}
      {active.length + done.length === 0 ? (
        <div className="empty">{t('runs.noneForFilter')}</div>
      ) : (
        <div className="panel run-table-wrap">
          <table className="table run-table" data-testid="runs-table">
            <thead>
              <tr>
                {columns.map((k) => (
                  <th key={k}>{t(k)}</th>
                ))}
              </tr>
            </thead>
            <tbody>
              {active.length > 0 && done.length > 0 && (
                <tr className="group-row"><td colSpan={columns.length}>{t('runs.group.active', { n: active.length })}</td></tr>
              )}
              {active.map((r) => <RunRow key={r.id} run={r} now={now} />)}
              {active.length > 0 && done.length > 0 && (
                <tr className="group-row"><td colSpan={columns.length}>{t('runs.group.done', { n: done.length })}</td></tr>
              )}
              {done.map((r) => <RunRow key={r.id} run={r} now={now} />)}
            </tbody>
          </table>
        </div>
      )}
    </>
  );
}
