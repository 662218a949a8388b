/** Pure list logic: kind and status filters, search, sorting, active-first grouping, and the badge tone of a status. */
import { isActiveStatus } from '../../../shared/domain/runState.js';
import type { Run, RunKind, RunStatus } from '../../../shared/types/run.js';

/** Training runs, evaluations (predict) and chat servers are different things: each has its own tab. */
export const KIND_FILTERS: RunKind[] = ['train', 'predict', 'export', 'api'];

export type SortKey = 'status' | 'name' | 'progress' | 'loss' | 'duration' | 'started';

/** Name, tags, notes, id and failure text, case-insensitive; every word must match. */
export function matchesSearch(run: Run, query: string): boolean {
  const words = query.toLowerCase().split(/\s+/).filter(Boolean);
  if (!words.length) return true;
  const hay = `${run.name} ${run.tags.join(' ')} ${run.notes} ${run.id} ${run.failure?.message.text ?? ''}`.toLowerCase();
  return words.every((w) => hay.includes(w));
}

/** The value a column sorts by; null sorts last in both directions (a missing figure is never "the best"). */
export function sortValue(run: Run, key: SortKey, now: number): number | string | null {
  switch (key) {
    case 'status':
      return run.status;
    case 'name':
      return run.name.toLowerCase();
    case 'progress':
      return run.progress?.percent ?? null;
    case 'loss':
      return run.progress?.lastLoss ?? null;
    case 'duration':
      return run.startedAt === null ? null : (run.endedAt ?? now) - run.startedAt;
    case 'started':
      return run.startedAt ?? run.createdAt;
  }
}

export function sortRuns(runs: readonly Run[], key: SortKey, dir: 'asc' | 'desc', now: number): Run[] {
  return [...runs].sort((a, b) => {
    const x = sortValue(a, key, now);
    const y = sortValue(b, key, now);
    if (x === null || y === null) return x === y ? 0 : x === null ? 1 : -1;
    const r = typeof x === 'number' && typeof y === 'number' ? x - y : String(x).localeCompare(String(y), undefined, { numeric: true });
    return dir === 'asc' ? r : -r;
  });
}

export type StatusFilter = 'all' | 'active' | 'finished' | 'failed' | 'stopped';
export const STATUS_FILTERS: StatusFilter[] = ['all', 'active', 'finished', 'failed', 'stopped'];

export function matchesFilter(run: Run, filter: StatusFilter): boolean {
  switch (filter) {
    case 'all':
      return true;
    case 'active':
      return isActiveStatus(run.status);
    case 'finished':
      return run.status === 'finished';
    // A run the engine lost track of is a failure from the user's point of view: it did not finish.
    case 'failed':
      return run.status === 'failed' || run.status === 'lost';
    case 'stopped':
      return run.status === 'stopped';
  }
}

/** Active runs first (newest started first), then the rest by when they ended (newest first). */
export function groupRuns(runs: readonly Run[], filter: StatusFilter): { active: Run[]; done: Run[] } {
  const kept = runs.filter((r) => matchesFilter(r, filter));
  const active = kept.filter((r) => isActiveStatus(r.status)).sort((a, b) => (b.startedAt ?? b.createdAt) - (a.startedAt ?? a.createdAt));
  const done = kept
    .filter((r) => !isActiveStatus(r.status))
    .sort((a, b) => (b.endedAt ?? b.startedAt ?? b.createdAt) - (a.endedAt ?? a.startedAt ?? a.createdAt));
  return { active, done };
}

export function countByFilter(runs: readonly Run[]): Record<StatusFilter, number> {
  const out = { all: 0, active: 0, finished: 0, failed: 0, stopped: 0 } as Record<StatusFilter, number>;
  for (const r of runs) for (const f of STATUS_FILTERS) if (matchesFilter(r, f)) out[f]++;
  return out;
}

/** Maps a status to the shared .badge colour classes of base.css. */
export function statusTone(status: RunStatus): '' | 'ok' | 'err' | 'warn' {
  switch (status) {
    case 'finished':
      return 'ok';
    case 'failed':
    case 'lost':
      return 'err';
    case 'stopping':
    case 'stopped':
      return 'warn';
    default:
      return '';
  }
}
