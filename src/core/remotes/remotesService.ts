/** Remote engines' work: the stored boxes, one RemoteLink per box, adding, removing and reconnecting them. */
import { msg } from '../../shared/messages/message.js';
import { RpcError } from '../../shared/rpc/errors.js';
import type { RemoteBox } from '../../shared/types/remote.js';
import type { Run } from '../../shared/types/run.js';
import type { CoreContext } from '../context.js';
import { createRemotesRepo } from '../store/remotesRepo.js';
import { newId } from '../util/ids.js';
import { RemoteLink, type LinkChange, type LinkOptions } from './remoteLink.js';

/** What the federation (board, runs) uses: the live links by box name, and a hook on their changes. */
export interface Remotes {
  links(): RemoteLink[];
  /** The box named `name`; not_found when there is none. */
  link(name: string): RemoteLink;
  onChange(listener: (box: string, what: LinkChange, run?: Run) => void): () => void;
}

export function createRemotesService(ctx: CoreContext, opts: LinkOptions = {}) {
  const repo = createRemotesRepo(ctx.db);
  const links = new Map<string, RemoteLink>();
  const listeners = new Set<(box: string, what: LinkChange, run?: Run) => void>();
  let started = false;

  const views = (): RemoteBox[] => [...links.values()].map((l) => l.view());

  function open(r: ReturnType<typeof repo.list>[number]): RemoteLink {
    const link = new RemoteLink(
      r,
      (what, run) => {
        if (links.get(r.name) !== link) return;
        for (const l of [...listeners]) l(r.name, what, run);
        ctx.bus.emit('remotes.changed', views());
      },
      opts,
    );
    links.set(r.name, link);
    if (started) link.start();
    return link;
  }

  const byId = (id: string): RemoteLink => {
    const l = [...links.values()].find((x) => x.remote.id === id);
    if (!l) throw new RpcError('not_found', `No remote engine ${id}.`);
    return l;
  };

  const remotes: Remotes = {
    links: () => [...links.values()],
    link(name) {
      const l = links.get(name);
      if (!l) throw new RpcError('not_found', msg('remotes.unknownBox', { box: name }));
      return l;
    },
    onChange(listener) {
      listeners.add(listener);
      return () => listeners.delete(listener);
    },
  };

  return {
    remotes,
    list: views,
    /** Stores a box and connects to it; a name already taken is a conflict. */
    add({ name, url, token }: { name: string; url: string; token: string }): RemoteBox {
      if (repo.byName(name)) throw new RpcError('conflict', `A remote engine is already named ${name}.`);
      const stored = { id: newId('rm'), name, url: new URL(url).toString(), token, createdAt: Date.now() };
      repo.insert(stored);
      const link = open(stored);
      ctx.bus.emit('remotes.changed', views());
      return link.view();
    },
    /** Disconnects and forgets a box; the federation hears that its lanes and runs are gone. */
    remove(id: string): void {
      const link = byId(id);
      link.stop();
      links.delete(link.name);
      repo.remove(id);
      for (const l of [...listeners]) l(link.name, 'state');
      ctx.bus.emit('remotes.changed', views());
    },
    /** Connects again now instead of at the next retry. */
    async test(id: string): Promise<RemoteBox> {
      const link = byId(id);
      await link.reconnectNow();
      return link.view();
    },
    start(): void {
      for (const r of repo.list()) open(r);
      started = true;
      for (const l of links.values()) l.start();
    },
    stop(): void {
      started = false;
      for (const l of links.values()) l.stop();
      links.clear();
    },
  };
}
