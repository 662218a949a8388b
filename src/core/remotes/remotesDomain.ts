/** Remote engines domain: the contract's remotes.* methods, each handed to one function of the remotes service, and their topic. */
import type { remoteMethods, remoteTopics } from '../../shared/contract/remotes.js';
import type { CoreContext } from '../context.js';
import type { Domain } from '../domain.js';
import type { LinkOptions } from './remoteLink.js';
import { createRemotesService, type Remotes } from './remotesService.js';

export type RemotesDomainOptions = LinkOptions;
export type { Remotes } from './remotesService.js';

export function createRemotesDomain(ctx: CoreContext, opts: RemotesDomainOptions = {}): Domain<typeof remoteMethods, typeof remoteTopics> & { remotes: Remotes } {
  const service = createRemotesService(ctx, opts);
  return {
    remotes: service.remotes,
    handlers: {
      'remotes.list': () => service.list(),
      'remotes.add': (p) => service.add(p),
      'remotes.remove': ({ id }) => {
        service.remove(id);
        return null;
      },
      'remotes.test': ({ id }) => service.test(id),
    },
    subscriptions: {
      'remotes.changed': (_p, send) => ctx.bus.on('remotes.changed', send),
    },
    start: service.start,
    stop: service.stop,
  };
}
