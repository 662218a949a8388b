/** The run list: training runs, evaluations and chat servers apart; filter by status, search, sort by any column; a row opens the run's page. */
import { useMemo, useState } from 'react';
import type { RunKind } from '../../../shared/types/run.js';
import { useT, type MessageKey } from '../../i18n/index.js';
import { useRuns } from '../../stores/runs.js';
import { RunRow } from './RunRow.js';
import { countByFilter, groupRuns, KIND_FILTERS, matchesSearch, sortRuns, STATUS_FILTERS, type SortKey, type StatusFilter } from './runList.js';
import { useNow } from './useNow.js';

const COLUMNS: { key: SortKey | null; label: MessageKey }[] = [
  { key: 'status', label: 'runs.col.status' },
  { key: 'name', label: 'runs.col.name' },
  { key: null, label: 'runs.col.gpus' },
  { key: 'progress', label: 'runs.col.progress' },
  { key: 'loss', label: 'runs.col.loss' },
  { key: 'duration', label: 'runs.col.duration' },
  { key: 'started', label: 'runs.col.started' },
];

export function RunList(): React.JSX.Element {
  const t = useT();
  const { runs, loaded, loadError, load } = useRuns();
  const [kind, setKind] = useState<RunKind>('train');
  const [filter, setFilter] = useState<StatusFilter>('all');
  const [query, setQuery] = useState('');
  const [sort, setSort] = useState<{ key: SortKey; dir: 'asc' | 'desc' } | null>(null);
  const all = useMemo(() => Object.values(runs), [runs]);
  const ofKind = useMemo(() => all.filter((r) => r.kind === kind), [all, kind]);
  const kinds = useMemo(() => Object.fromEntries(KIND_FILTERS.map((k) => [k, all.filter((r) => r.kind === k).length])) as Record<RunKind, number>, [all]);
  const shown = useMemo(() => ofKind.filter((r) => matchesSearch(r, query)), [ofKind, query]);
  const { active, done } = useMemo(() => groupRuns(shown, filter), [shown, filter]);
  const counts = useMemo(() => countByFilter(shown), [shown]);
  const now = useNow(active.length > 0);
  // A chosen sort orders the whole list; by default active runs come first, then the rest by when they ended.
  const sorted = useMemo(() => (sort ? sortRuns([...active, ...done], sort.key, sort.dir, now) : null), [sort, active, done, now]);

  const header = (
    <>
      <h1 className="page-title">
        {t('runs.title')}
        <span className="spacer" />
        <div className="run-filters" role="tablist" aria-label={t('runs.kind')}>
          {KIND_FILTERS.map((k) => (
            <button key={k} role="tab" aria-selected={kind === k} className={`chip ${kind === k ? 'active' : ''}`} data-testid={`runs-kind-${k}`} onClick={() => setKind(k)}>
              {t(`runs.kind.${k}` as MessageKey)} <span className="muted">{kinds[k]}</span>
            </button>
          ))}
        </div>
      </h1>
      <div className="run-toolbar">
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
        <input
          className="input run-search"
          type="search"
          value={query}
          placeholder={t('runs.search')}
          aria-label={t('runs.search')}
          data-testid="runs-search"
          onChange={(e) => setQuery(e.target.value)}
        />
      </div>
    </>
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
  if (!ofKind.length) return <>{header}<div className="empty" data-testid="runs-empty">{t(`runs.none.${kind}` as MessageKey)}</div></>;

  const headerCell = (c: (typeof COLUMNS)[number]) => {
    if (!c.key) return <th key={c.label}>{t(c.label)}</th>;
    const key = c.key;
    const dir = sort?.key === key ? sort.dir : null;
    return (
      <th key={c.label} aria-sort={dir === 'asc' ? 'ascending' : dir === 'desc' ? 'descending' : 'none'} className={dir ? `sorted-${dir}` : ''}>
        <button
          type="button"
          className="th-button"
          data-testid={`runs-sort-${key}`}
          onClick={() => setSort(dir === 'asc' ? { key, dir: 'desc' } : dir === 'desc' ? null : { key, dir: 'asc' })}
        >
          {t(c.label)}
        </button>
      </th>
    );
  };

  return (
    <>
      {header}
      {active.length + done.length === 0 ? (
        <div className="empty">{t('runs.noneForFilter')}</div>
      ) : (
        <div className="panel run-table-wrap">
          <table className="table run-table" data-testid="runs-table">
            <thead>
              <tr>{COLUMNS.map(headerCell)}</tr>
            </thead>
            <tbody>
              {sorted ? (
                sorted.map((r) => <RunRow key={r.id} run={r} now={now} />)
              ) : (
                <>
                  {active.length > 0 && done.length > 0 && (
                    <tr className="group-row"><td colSpan={COLUMNS.length}>{t('runs.group.active', { n: active.length })}</td></tr>
                  )}
                  {active.map((r) => <RunRow key={r.id} run={r} now={now} />)}
                  {active.length > 0 && done.length > 0 && (
                    <tr className="group-row"><td colSpan={COLUMNS.length}>{t('runs.group.done', { n: done.length })}</td></tr>
                  )}
                  {done.map((r) => <RunRow key={r.id} run={r} now={now} />)}
                </>
              )}
            </tbody>
          </table>
        </div>
      )}
    </>
  );
}
