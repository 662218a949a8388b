/**
 * One remote engine: a WebSocket to its `serve` presenting its token the way the page does, the contract's client over
 * it, and what this board needs of it (lanes, queue, cards, runs) kept as last seen. Reconnects with backoff; while
 * down the box is unreachable and keeps its last state (its runs go on there), and re-subscribes when it is back.
 */
import WebSocket from 'ws';
import { WS_PROTOCOL, WS_TOKEN_PREFIX } from '../../shared/auth.js';
import type { ApiClient, Methods, Topics } from '../../shared/contract/index.js';
import type { BoardState } from '../../shared/contract/tasks.js';
import { boxed } from '../../shared/domain/lanes.js';
import { msg, type Message } from '../../shared/messages/message.js';
import { createRpcClient } from '../../shared/rpc/client.js';
import { RpcError } from '../../shared/rpc/errors.js';
import type { GpuInfo } from '../../shared/types/gpu.js';
import type { RemoteBox, RemoteQueueItem, RemoteRun, RemoteState } from '../../shared/types/remote.js';
import type { Run } from '../../shared/types/run.js';
import type { LaneId } from '../../shared/types/task.js';
import { logger } from '../log/logger.js';
import type { StoredRemote } from '../store/remotesRepo.js';
import { wsClientTransport } from './wsClientTransport.js';

const log = logger('remotes');

export interface LinkOptions {
  /** First retry after this long, doubling up to retryMaxMs (defaults 500 ms and 10 s). */
  retryMinMs?: number;
  retryMaxMs?: number;
  /** A ping goes out this often; no pong for two of them ends the connection (default 10 s). */
  pingMs?: number;
}

/** What changed on a box: its state (and so its lanes' use), its board, its cards, its runs. */
export type LinkChange = 'state' | 'board' | 'gpus' | 'runs';

/** http(s)://host:port/ → ws(s)://host:port/ws, the one WebSocket route of serve. */
export function wsUrlOf(url: string): string {
  const u = new URL(url);
  u.protocol = u.protocol === 'https:' ? 'wss:' : 'ws:';
  u.pathname = `${u.pathname.replace(/\/+$/, '')}/ws`;
  return u.toString();
}

export class RemoteLink {
  state: RemoteState = 'connecting';
  lastError: Message | null = null;
  lastSeen: number | null = null;
  private board: BoardState | null = null;
  private gpus: GpuInfo[] = [];
  private taskNames = new Map<string, string>();
  private runs = new Map<string, Run>();
  private client: ApiClient | null = null;
  private ws: WebSocket | null = null;
  private retry: NodeJS.Timeout | null = null;
  private ping: NodeJS.Timeout | null = null;
  private attempt = 0;
  private stopped = false;
  private settled: (() => void)[] = [];

  constructor(
    readonly remote: StoredRemote,
    private readonly changed: (what: LinkChange, run?: Run) => void,
    private readonly opts: LinkOptions = {},
  ) {}

  get name(): string {
    return this.remote.name;
  }

  start(): void {
    this.connect();
  }

  stop(): void {
    this.stopped = true;
    if (this.retry) clearTimeout(this.retry);
    if (this.ping) clearInterval(this.ping);
    this.retry = this.ping = null;
    this.ws?.terminate();
    this.ws = null;
    this.client = null;
    this.settle();
  }

  /** Connects now unless connected (a pending retry is dropped); resolves once that attempt has an outcome. */
  async reconnectNow(): Promise<void> {
    if (this.stopped || this.client) return;
    const done = new Promise<void>((r) => this.settled.push(r));
    if (this.retry) {
      clearTimeout(this.retry);
      this.retry = null;
      this.connect();
    }
    await done;
  }

  /**
   * The contract on this box, waiting for the first attempt when the link has not had one yet (an engine that just
   * started, a CLI one-shot engine); refused with `unavailable` when the box does not answer.
   */
  async ready(): Promise<ApiClient> {
    if (!this.client && this.state === 'connecting') await this.reconnectNow();
    return this.api();
  }

  /** The contract on this box; refused with `unavailable` while it is not connected. */
  api(): ApiClient {
    if (!this.client) throw new RpcError('unavailable', msg('remotes.unreachable', { box: this.name }));
    return this.client;
  }

  view(): RemoteBox {
    const name = this.name;
    const queue: RemoteQueueItem[] = (this.board?.queue ?? []).map((q) => ({
      ...q,
      id: boxed(name, q.id),
      lane: boxed(name, q.lane),
      runId: q.runId ? boxed(name, q.runId) : null,
      taskName: this.taskNames.get(q.taskId) ?? q.taskId,
    }));
    return {
      id: this.remote.id,
      name,
      url: this.remote.url,
      hasToken: this.remote.token.length > 0,
      state: this.state,
      lastError: this.lastError,
      lastSeen: this.lastSeen,
      lanes: (this.board?.lanes ?? []).map((l) => ({ ...l, id: boxed(name, l.id) as LaneId })),
      queue,
      gpus: this.gpus,
    };
  }

  /** Its runs as last seen, named `<box>/<id>`; while unreachable they keep their last status (not failed). */
  runList(): RemoteRun[] {
    return [...this.runs.values()].map((r) => this.remoteRun(r));
  }

  remoteRun(r: Run): RemoteRun {
    return { ...r, id: boxed(this.name, r.id), parentRunId: r.parentRunId ? boxed(this.name, r.parentRunId) : null, box: this.name, boxState: this.state };
  }

  private settle(): void {
    const s = this.settled;
    this.settled = [];
    s.forEach((r) => r());
  }

  private setState(state: RemoteState, error: Message | null): void {
    const same = state === this.state && JSON.stringify(error) === JSON.stringify(this.lastError);
    this.state = state;
    this.lastError = error;
    if (!same) this.changed('state');
  }

  private connect(): void {
    if (this.stopped) return;
    const url = this.remote.url;
    let opened = false;
    let failure: { state: RemoteState; error: Message } | null = null;
    // No Origin header: serve checks one only when a browser sends it; Host is the URL's own, as serve expects.
    const ws = new WebSocket(wsUrlOf(url), [WS_PROTOCOL, WS_TOKEN_PREFIX + this.remote.token], {
      handshakeTimeout: 10_000,
      perMessageDeflate: false,
      maxPayload: 64 * 1024 * 1024,
    });
    this.ws = ws;
    ws.on('unexpected-response', (_req, res) => {
      const status = res.statusCode ?? 0;
      res.resume();
      failure =
        status === 401 || status === 403
          ? { state: 'unauthorized', error: msg('remotes.refused', { url, status }) }
          : { state: 'unreachable', error: msg('remotes.httpStatus', { url, status }) };
      ws.terminate();
    });
    ws.on('error', (e) => {
      failure ??= { state: 'unreachable', error: msg('remotes.down', { url, detail: e.message }) };
    });
    ws.on('message', () => (this.lastSeen = Date.now()));
    let waitingPong = 0;
    ws.on('pong', () => {
      waitingPong = 0;
      this.lastSeen = Date.now();
    });
    ws.on('open', () => {
      opened = true;
      this.attempt = 0;
      const client: ApiClient = createRpcClient<Methods, Topics>(wsClientTransport(ws));
      this.client = client;
      const pingMs = this.opts.pingMs ?? 10_000;
      this.ping = setInterval(() => {
        if (++waitingPong > 2) {
          failure = { state: 'unreachable', error: msg('remotes.noAnswer', { url, seconds: Math.round((2 * pingMs) / 1000) }) };
          ws.terminate();
          return;
        }
        ws.ping();
      }, pingMs);
      this.ping.unref?.();
      void this.attach(client).then(
        () => {
          if (this.client !== client) return;
          this.setState('reachable', null);
          this.settle();
        },
        (e: unknown) => {
          log.warn(`${this.name}: the first requests failed: ${e instanceof Error ? e.message : String(e)}`);
          ws.terminate();
        },
      );
    });
    ws.on('close', (code, reason) => {
      if (this.ws !== ws) return;
      this.ws = null;
      this.client = null;
      if (this.ping) clearInterval(this.ping);
      this.ping = null;
      if (this.stopped) return;
      const f = failure ?? { state: 'unreachable' as const, error: msg(opened ? 'remotes.closed' : 'remotes.down', { url, detail: reason.toString() || `code ${code}` }) };
      if (f.state !== this.state) log.info(`${this.name}: ${f.error.text}`);
      this.setState(f.state, f.error);
      this.settle();
      this.schedule(f.state === 'unauthorized');
    });
  }

  private schedule(slow: boolean): void {
    this.attempt++;
    const min = this.opts.retryMinMs ?? 500;
    const max = this.opts.retryMaxMs ?? 10_000;
    // A refused token will not fix itself quickly: ask again at the slowest pace (the box may have been restarted with it).
    const delay = slow ? max : Math.min(max, min * 2 ** Math.min(this.attempt - 1, 10));
    this.retry = setTimeout(() => {
      this.retry = null;
      this.connect();
    }, delay);
    this.retry.unref?.();
  }

  /** Subscribes first (nothing is missed between load and topic), then loads the whole state. */
  private async attach(c: ApiClient): Promise<void> {
    c.subscribe('board.changed', {}, (b) => {
      this.board = b;
      this.changed('board');
    });
    c.subscribe('gpus.snapshot', {}, (s) => {
      this.gpus = s.gpus;
      this.changed('gpus');
    });
    c.subscribe('tasks.changed', {}, ({ tasks }) => {
      this.taskNames = new Map(tasks.map((t) => [t.id, t.name]));
      this.changed('board');
    });
    c.subscribe('runs.changed', {}, (r) => {
      this.runs.set(r.id, r);
      this.changed('runs', r);
    });
    const [board, gpus, tasks, runs] = await Promise.all([c.call('board.get', {}), c.call('gpus.list', {}), c.call('tasks.list', {}), c.call('runs.list', {})]);
    this.board = board;
    this.gpus = gpus.gpus;
    this.taskNames = new Map(tasks.map((t) => [t.id, t.name]));
    this.runs = new Map(runs.map((r) => [r.id, r]));
    this.changed('board');
    this.changed('runs');
  }
}
