/** Compare domain: the contract's compare.* methods, each handed to one function of the compare service. */
import type { compareMethods, compareTopics } from '../../shared/contract/compare.js';
import type { CoreContext } from '../context.js';
import type { Domain } from '../domain.js';
import type { CompareRepo } from '../store/compareRepo.js';
import { createCompareService, type CompareDeps } from './compareService.js';

export type { CompareDeps } from './compareService.js';

export function createCompareDomain(ctx: CoreContext, deps: CompareDeps): Domain<typeof compareMethods, typeof compareTopics> & { repo: CompareRepo } {
  const compare = createCompareService(ctx, deps);
  return {
    repo: compare.repo,
    start: compare.start,
    stop: compare.stop,
    handlers: {
      'compare.table': ({ filter }) => compare.table(filter),
      'compare.rows': ({ runIds }) => compare.rows(runIds),
      'compare.datasets': ({ runId }) => compare.datasets(runId),
      'compare.curves': ({ runIds, metric, maxPoints }) => compare.curves(runIds, metric, maxPoints),
      'compare.predict': (p) => compare.predict(p),
      'compare.predictions': ({ runId, offset, limit }) => compare.predictions(runId, offset, limit),
      'compare.spotCheck': (p) => compare.spotCheck(p),
      'compare.cancelSpotCheck': ({ id }) => compare.cancelSpotCheck(id),
      'compare.spotCheckDetail': ({ id }) => compare.spotCheckDetail(id),
      'compare.exportCsv': ({ filter, runIds, onlyDiffering }) => compare.exportCsv(filter, runIds, onlyDiffering),
      'compare.exportHtml': (p) => compare.exportHtml(p),
    },
    subscriptions: {
      'compare.changed': (_p, send) => ctx.bus.on('compare.changed', send),
    },
  };
}
