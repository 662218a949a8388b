/**
 * Engine-side federation: the composed handlers and subscriptions, extended so that `<box>/…` lanes, queue items and
 * runs reach their remote engine over its contract. The renderer, the CLI and the control socket keep talking to this
 * engine only; a remote box's lanes join board.get / board.changed and its runs join runs.list / runs.changed
 * and Compare's table and curves.
 */
import type { Methods, Topics } from '../../shared/contract/index.js';
import type { BoardState, FitCheck } from '../../shared/contract/tasks.js';
import { diffConfigs } from '../../shared/domain/configDiff.js';
import { boxed, laneBox, unbox } from '../../shared/domain/lanes.js';
import { msg } from '../../shared/messages/message.js';
import { RpcError } from '../../shared/rpc/errors.js';
import type { Handlers, Subscriptions } from '../../shared/rpc/server.js';
import type { CompareRow, CompareTable, CurveSeries } from '../../shared/types/compare.js';
import type { Run } from '../../shared/types/run.js';
import type { LaneId, QueueItem } from '../../shared/types/task.js';
import type { RemoteLink } from './remoteLink.js';
import type { Remotes } from './remotesDomain.js';

/** `gpu:<index>` → the box's `gpu:<uuid>` (the CLI's and the brief's way to name a card); other lanes as written. */
function remoteLane(link: RemoteLink, lane: LaneId): LaneId {
  const m = /^gpu:(\d+)$/.exec(lane);
  if (!m) return lane;
  const g = link.view().gpus.find((x) => x.index === Number(m[1]));
  return g ? `gpu:${g.uuid}` : lane;
}

const boxItem = (box: string, q: QueueItem): QueueItem => ({ ...q, id: boxed(box, q.id), lane: boxed(box, q.lane) as LaneId, runId: q.runId ? boxed(box, q.runId) : null });

export function federate(handlers: Handlers<Methods>, subscriptions: Subscriptions<Topics>, remotes: Remotes): { handlers: Handlers<Methods>; subscriptions: Subscriptions<Topics> } {
  const h = { ...handlers };
  const s = { ...subscriptions };

  /** The local board plus every box's lanes as last seen (an unreachable box keeps its lanes: its runs go on). */
  const withRemote = (b: BoardState): BoardState => ({ ...b, lanes: [...b.lanes, ...remotes.links().flatMap((l) => l.view().lanes)] });
  const localBoard = async (c: Parameters<Handlers<Methods>['board.get']>[1]) => handlers['board.get']({}, c);

  /** Sends a task of this engine to the box (its text: paths in it must hold there) and queues it on the box's lane. */
  async function enqueueRemote(link: RemoteLink, lane: LaneId, p: { taskId: string; gpuCount?: number; position?: number; slurm?: QueueItem['slurm'] }, c: Parameters<Handlers<Methods>['board.get']>[1]): Promise<QueueItem> {
    const api = await link.ready();
    const task = (await handlers['tasks.list']({}, c)).find((t) => t.id === p.taskId);
    if (!task) throw new RpcError('not_found', `No task ${p.taskId}.`);
    // The box's own copy of this very text, when an earlier drop sent it: queueing again must not pile up tasks there.
    const same = (await api.call('tasks.list', {})).find((t) => t.yaml === task.yaml && (t.name === task.name || t.name.startsWith(`${task.name} (`)));
    const imported = same ? null : await api.call('tasks.import', { files: [{ name: `${task.name}.yaml`, content: task.yaml }] });
    const there = same ?? imported?.tasks[0];
    if (!there) throw new RpcError('bad_request', `${link.name} did not take the task: ${(imported?.skipped ?? []).map((x) => x.reason).join('; ') || 'no reason given'}`);
    const item = await api.call('board.enqueue', {
      taskId: there.id,
      lane: remoteLane(link, lane),
      ...(p.gpuCount !== undefined ? { gpuCount: p.gpuCount } : {}),
      ...(p.position !== undefined ? { position: p.position } : {}),
      ...(p.slurm ? { slurm: p.slurm } : {}),
    });
    return boxItem(link.name, item);
  }

  /** The box of a `<box>/<id>` name and that engine's own id, or null for one of this engine. */
  const remoteOf = (id: string): { link: RemoteLink; id: string } | null => {
    const u = unbox(id);
    return u ? { link: remotes.link(u.box), id: u.id } : null;
  };
  const boxRun = (link: RemoteLink, r: Run): Run => link.remoteRun(r);

  h['board.get'] = async (p, c) => withRemote(await handlers['board.get'](p, c));
  h['board.enqueue'] = async (p, c) => {
    const lb = laneBox(p.lane);
    if (!lb) return handlers['board.enqueue'](p, c);
    return enqueueRemote(remotes.link(lb.box), lb.lane, p, c);
  };
  h['board.move'] = async (p, c) => {
    const item = remoteOf(p.itemId);
    const target = laneBox(p.lane);
    if (item) {
      if (!target || target.box !== item.link.name) throw new RpcError('bad_request', `A waiting item of ${item.link.name} moves only between ${item.link.name}'s lanes.`);
      await item.link.api().call('board.move', { itemId: item.id, lane: remoteLane(item.link, target.lane), position: p.position });
      return withRemote(await localBoard(c));
    }
    if (!target) return withRemote(await handlers['board.move'](p, c));
    // A waiting local item dropped on a box's lane: it is queued there and leaves this board.
    const local = (await localBoard(c)).queue.find((q) => q.id === p.itemId);
    if (!local) throw new RpcError('not_found', `No queue item ${p.itemId}.`);
    if (local.state !== 'queued') throw new RpcError('conflict', 'Only waiting items can move; this one has started.');
    await enqueueRemote(remotes.link(target.box), target.lane, { taskId: local.taskId, gpuCount: local.gpuCount, position: p.position }, c);
    return withRemote(await handlers['board.cancel']({ itemId: local.id }, c));
  };
  for (const m of ['board.cancel', 'board.runNext'] as const) {
    h[m] = async (p, c) => {
      const r = remoteOf(p.itemId);
      if (!r) return withRemote(await handlers[m](p, c));
      await r.link.api().call(m, { itemId: r.id });
      return withRemote(await localBoard(c));
    };
  }
  h['board.retry'] = async (p, c) => {
    const r = remoteOf(p.runId);
    if (!r) return withRemote(await handlers['board.retry'](p, c));
    await r.link.api().call('board.retry', { runId: r.id });
    return withRemote(await localBoard(c));
  };
  h['board.pauseLane'] = async (p, c) => {
    const lb = laneBox(p.lane);
    if (!lb) return withRemote(await handlers['board.pauseLane'](p, c));
    await remotes.link(lb.box).api().call('board.pauseLane', { lane: remoteLane(remotes.link(lb.box), lb.lane), paused: p.paused });
    return withRemote(await localBoard(c));
  };
  h['board.fit'] = async (p, c): Promise<FitCheck> => {
    const lb = laneBox(p.lane);
    if (!lb) return handlers['board.fit'](p, c);
    // The task is not on the box yet: this engine's estimate against the box's card as last seen.
    const link = remotes.link(lb.box);
    const task = (await handlers['tasks.list']({}, c)).find((t) => t.id === p.taskId);
    const need = task?.estimate?.highMiB ?? null;
    if (link.state !== 'reachable') {
      const said = link.lastError ?? msg('remotes.fitNotReachable', { box: link.name, state: msg(`remotes.state.${link.state}`) });
      return { fits: false, reason: said.text, said, neededMiB: need, freeMiB: null };
    }
    const lane = remoteLane(link, lb.lane);
    const gpu = lane.startsWith('gpu:') ? link.view().gpus.find((g) => `gpu:${g.uuid}` === lane) : null;
    const free = gpu?.memoryFreeMiB ?? null;
    const fits = need === null || free === null ? true : need <= free;
    const said = free === null ? msg('remotes.fitBoxPlaces', { box: link.name }) : msg('remotes.fitFree', { box: link.name, free: Math.round(free / 1024), index: gpu!.index });
    return { fits, reason: said.text, said, neededMiB: need, freeMiB: free };
  };

  h['runs.list'] = async (p, c) => {
    // A box still on its first attempt (an engine that just started: a CLI one-shot engine's `ps`) is waited for.
    await Promise.allSettled(remotes.links().filter((l) => l.state === 'connecting').map((l) => l.ready()));
    return [...(await handlers['runs.list'](p, c)), ...remotes.links().flatMap((l) => l.runList())];
  };
  for (const m of ['runs.get', 'runs.stop', 'runs.restart', 'runs.update'] as const) {
    h[m] = (async (p: { id: string }, c: Parameters<Handlers<Methods>['runs.get']>[1]) => {
      const r = remoteOf(p.id);
      if (!r) return (handlers[m] as (p: unknown, c: unknown) => unknown)(p, c);
      return boxRun(r.link, await r.link.api().call(m, { ...p, id: r.id } as never));
    }) as never;
  }
  for (const m of ['runs.metrics', 'runs.config', 'runs.searchLog', 'runs.files', 'runs.checkpoints', 'terminal.input', 'terminal.resize'] as const) {
    h[m] = (async (p: { id: string }, c: Parameters<Handlers<Methods>['runs.get']>[1]) => {
      const r = remoteOf(p.id);
      if (!r) return (handlers[m] as (p: unknown, c: unknown) => unknown)(p, c);
      return r.link.api().call(m, { ...p, id: r.id } as never);
    }) as never;
  }

  s['board.changed'] = (p, send, c) => {
    let last: BoardState | null = null;
    const offLocal = subscriptions['board.changed'](p, (b) => send(withRemote((last = b))), c);
    const offRemote = remotes.onChange((_box, what) => {
      if (what !== 'board' && what !== 'state') return;
      if (last) send(withRemote(last));
      else void Promise.resolve(localBoard(c)).then((b) => send(withRemote((last ??= b))));
    });
    return () => {
      offLocal();
      offRemote();
    };
  };
  s['runs.changed'] = (p, send, c) => {
    const offLocal = subscriptions['runs.changed'](p, send, c);
    const offRemote = remotes.onChange((box, what, run) => {
      const link = remotes.links().find((l) => l.name === box);
      if (!link) return;
      if (what === 'runs' && run) send(link.remoteRun(run));
      // Reachable or not, each run of the box says so (its status stays the last one seen).
      if (what === 'state') for (const r of link.runList()) send(r);
    });
    return () => {
      offLocal();
      offRemote();
    };
  };
  s['runs.metrics'] = (p, send, c) => {
    const r = remoteOf(p.id);
    if (!r) return subscriptions['runs.metrics'](p, send, c);
    const id = p.id;
    return r.link.api().subscribe('runs.metrics', { id: r.id }, (d) => send({ ...d, runId: id }));
  };
  s['terminal.data'] = (p, send, c) => {
    const r = remoteOf(p.id);
    if (!r) return subscriptions['terminal.data'](p, send, c);
    const api = r.link.api();
    // The remote engine's flow control is answered here, as each batch is passed on (the viewer's acks stay local).
    return api.subscribe('terminal.data', { id: r.id }, (d, sub) => {
      send(d);
      void api.call('terminal.ack', { sub, bytes: d.data.length }).catch(() => undefined);
    });
  };

  // Compare: a box's rows and curves come over its contract (its metrics, never files), under their boxed ids.
  const boxRow = (box: string, r: CompareRow): CompareRow => ({
    ...r,
    runId: boxed(box, r.runId),
    taskId: r.taskId ? boxed(box, r.taskId) : null,
    sweepId: r.sweepId ? boxed(box, r.sweepId) : null,
    predictRunId: r.predictRunId ? boxed(box, r.predictRunId) : null,
  });
  /** Run ids grouped by engine (local under null), each group with that engine's own ids; `at` puts answers back in order. */
  const byEngine = (ids: string[]) => {
    const groups = new Map<string | null, { link: RemoteLink | null; ids: string[] }>();
    for (const id of ids) {
      const r = remoteOf(id);
      const key = r ? r.link.name : null;
      const g = groups.get(key) ?? { link: r?.link ?? null, ids: [] };
      g.ids.push(r ? r.id : id);
      groups.set(key, g);
    }
    const at = <T extends { runId: string }>(got: T[]) => ids.flatMap((id) => got.filter((x) => x.runId === id));
    return { groups: [...groups.values()], at };
  };
  /** What needs a run's files on this machine (evaluations, spot-checks, exports) is refused for a box's run, in words. */
  const refuseBoxed = (ids: string[]) => {
    for (const id of ids) {
      const u = unbox(id);
      if (u) throw new RpcError('unavailable', msg('remotes.notHere', { run: id, box: u.box }));
    }
  };

  h['compare.table'] = async (p, c): Promise<CompareTable> => {
    const f = p.filter ?? {};
    // A filter on a box's task or sweep asks only that box; any other filter asks every engine.
    const only = [f.taskId, f.sweepId].map((x) => (x ? unbox(x) : null)).find((x) => x);
    const mine = only ? null : await handlers['compare.table'](p, c);
    const links = remotes.links().filter((l) => l.state === 'reachable' && (!only || l.name === only.box));
    const theirs = await Promise.all(
      links.map(async (l) => {
        const filter = { ...f, ...(f.taskId ? { taskId: unbox(f.taskId)?.id ?? f.taskId } : {}), ...(f.sweepId ? { sweepId: unbox(f.sweepId)?.id ?? f.sweepId } : {}) };
        // An unreachable box's runs are left out of the table rather than failing it.
        const t = await l.api().call('compare.table', { filter }).catch(() => null);
        return t && { box: l.name, t };
      }),
    );
    const parts = [...(mine ? [{ box: null as string | null, t: mine }] : []), ...theirs.filter((x) => x !== null)];
    const rows = parts.flatMap(({ box, t }) => (box ? t.rows.map((r) => boxRow(box, r)) : t.rows));
    const defaults = Object.assign({}, ...parts.map((x) => x.t.defaults).reverse()) as CompareTable['defaults'];
    const { keys, differing } = diffConfigs(rows.filter((r) => !r.configError).map((r) => r.config), defaults);
    const uniq = (xs: string[]) => [...new Set(xs)].sort();
    return {
      rows,
      configKeys: keys,
      differingKeys: differing,
      defaults,
      facets: {
        tags: uniq(parts.flatMap((x) => x.t.facets.tags)),
        tasks: parts.flatMap(({ box, t }) => t.facets.tasks.map((x) => (box ? { id: boxed(box, x.id), name: `${box}/${x.name}` } : x))),
        sweeps: uniq(parts.flatMap(({ box, t }) => (box ? t.facets.sweeps.map((x) => boxed(box, x)) : t.facets.sweeps))),
      },
    };
  };
  h['compare.rows'] = async (p, c) => {
    const { groups, at } = byEngine(p.runIds);
    const got = await Promise.all(
      groups.map(async (g) =>
        g.link ? (await g.link.api().call('compare.rows', { runIds: g.ids }).catch(() => [])).map((r) => boxRow(g.link!.name, r)) : handlers['compare.rows']({ runIds: g.ids }, c),
      ),
    );
    return at(got.flat());
  };
  h['compare.curves'] = async (p, c): Promise<CurveSeries[]> => {
    const { groups, at } = byEngine(p.runIds);
    const got = await Promise.all(
      groups.map(async (g) => {
        const q = { ...p, runIds: g.ids };
        if (!g.link) return handlers['compare.curves'](q, c);
        const name = g.link.name;
        return (await g.link.api().call('compare.curves', q)).map((x) => ({ ...x, runId: boxed(name, x.runId) }));
      }),
    );
    return at(got.flat());
  };
  for (const m of ['compare.predict', 'compare.predictions', 'compare.spotCheck', 'compare.datasets'] as const) {
    h[m] = (async (p: { runId: string }, c: Parameters<Handlers<Methods>['runs.get']>[1]) => {
      refuseBoxed([p.runId]);
      return (handlers[m] as (p: unknown, c: unknown) => unknown)(p, c);
    }) as never;
  }
  h['compare.exportCsv'] = async (p, c) => {
    refuseBoxed(p.runIds ?? []);
    return handlers['compare.exportCsv'](p, c);
  };
  h['compare.exportHtml'] = async (p, c) => {
    refuseBoxed(p.runIds);
    return handlers['compare.exportHtml'](p, c);
  };
  return { handlers: h, subscriptions: s };
}
