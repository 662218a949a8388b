/** Pure list logic: status filters, active-first grouping and ordering, and the badge tone of a status. */
import { ACTIVE_RUN_STATUSES, type Run, type RunStatus } from '../../../shared/types/run.js';

export type StatusFilter = 'all' | 'active' | 'finished' | 'failed' | 'stopped';
export const STATUS_FILTERS: StatusFilter[] = ['all', 'active', 'finished', 'failed', 'stopped'];

export function isActive(status: RunStatus): boolean {
  return ACTIVE_RUN_STATUSES.includes(status);
}

export function matchesFilter(run: Run, filter: StatusFilter): boolean {
  switch (filter) {
    case 'all':
      return true;
    case 'active':
      return isActive(run.status);
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
  const active = kept.filter((r) => isActive(r.status)).sort((a, b) => (b.startedAt ?? b.createdAt) - (a.startedAt ?? a.createdAt));
  const done = kept
    .filter((r) => !isActive(r.status))
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
