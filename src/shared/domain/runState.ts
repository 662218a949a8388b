/** What a run's status means, the one rule core, hosts and renderer share: which statuses are live (a process may still be there). */
import type { Run, RunStatus } from '../types/run.js';

/** A run in one of these may still have processes (and GPU memory): it can be stopped, not restarted or deleted. */
export const ACTIVE_RUN_STATUSES: readonly RunStatus[] = ['starting', 'running', 'stopping'];

export function isActiveStatus(status: RunStatus): boolean {
  return ACTIVE_RUN_STATUSES.includes(status);
}

/** A run (or nothing, for a lookup that found none) that is still live. */
export function isRunActive<R extends Pick<Run, 'status'>>(run: R | null | undefined): run is R {
  return !!run && isActiveStatus(run.status);
}
