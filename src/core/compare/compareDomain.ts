/** Compare domain: the run table, curves, evaluations and export (first version: empty; the compare issue fills it). */
import type { compareMethods, compareTopics } from '../../shared/contract/compare.js';
import type { CoreContext } from '../context.js';
import type { Domain } from '../domain.js';
import type { RunSupervisor } from '../runs/supervisorApi.js';

export function createCompareDomain(ctx: CoreContext, deps: { runs: RunSupervisor }): Domain<typeof compareMethods, typeof compareTopics> {
  void ctx;
  void deps;
  return { handlers: {}, subscriptions: {} };
}
