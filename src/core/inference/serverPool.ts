/** Inference servers as runs of kind 'api': start or reuse one per target, watch it load, retry a clashing port, stop it on close or idle. */
import { isRunActive } from '../../shared/domain/runState.js';
import { randomBytes } from 'node:crypto';
import { RpcError } from '../../shared/rpc/protocol.js';
import type { ChatServer, ChatTarget } from '../../shared/types/chat.js';
import type { Run } from '../../shared/types/run.js';
import type { CoreContext } from '../context.js';
import type { GpuMonitor } from '../gpu/gpuDomain.js';
import { runFiles } from '../runs/holderProcess.js';
import { sanitizeName } from '../runs/prepareLaunch.js';
import { freePort } from '../runs/ports.js';
import type { RunSupervisor } from '../runs/supervisorApi.js';
import { createChatRepo, type ChatRepo } from '../store/chatRepo.js';
import { pickGpu } from './gpuPick.js';
import { buildInferConfig, inferenceEstimateMiB } from './inferConfig.js';
import { ADDRESS_IN_USE, LogTail, probeModels, progressLine } from './serverProbe.js';
import { forgetClient } from './streamChat.js';

export interface PoolOptions {
  pollMs?: number;
  /** How long a server may take to answer GET /v1/models (big models load for minutes). */
  readyTimeoutMs?: number;
  /** Launch attempts when the port turns out taken. */
  portAttempts?: number;
  /** Port range for API_PORT. */
  ports?: [number, number];
  idleCheckMs?: number;
}

interface Entry {
  info: ChatServer;
  tail: LogTail;
  portClash: boolean;
  attempts: number;
  poll: NodeJS.Timeout | null;
  waiters: { resolve: (s: ChatServer) => void; reject: (e: Error) => void }[];
  deadline: number;
}

const keyOf = (t: ChatTarget) => `${t.runId}\n${t.checkpoint ?? ''}`;

export class ServerPool {
  private entries = new Map<string, Entry>();
  /** Launches in progress by target key, so concurrent ensure() calls start one server. */
  private pending = new Map<string, Promise<ChatServer>>();
  private repo: ChatRepo;
  private idleTimer: NodeJS.Timeout | null = null;
  private o: Required<PoolOptions>;

  constructor(
    private ctx: CoreContext,
    private deps: { runs: RunSupervisor; gpus: GpuMonitor },
    opts: PoolOptions = {},
  ) {
    this.repo = createChatRepo(ctx.db);
    this.o = { pollMs: 250, readyTimeoutMs: 15 * 60_000, portAttempts: 4, ports: [38000, 38999], idleCheckMs: 30_000, ...opts };
  }

  list(): ChatServer[] {
    return [...this.entries.values()].map((e) => e.info);
  }
  find(target: ChatTarget): ChatServer | null {
    return this.entries.get(keyOf(target))?.info ?? null;
  }
  byId(id: string): ChatServer | null {
    return this.list().find((s) => s.id === id) ?? null;
  }

  /** Starts (or reuses) the server of a target; returns at once in 'starting' when it has to start. */
  async ensure(target: ChatTarget, opts: { gpuUuid?: string | null; deployed?: boolean } = {}): Promise<ChatServer> {
    const key = keyOf(target);
    const have = this.entries.get(key);
    if (have && have.info.status !== 'failed' && have.info.status !== 'stopped') {
      if (opts.deployed && !have.info.deployed) this.setDeployed(have.info.id, true);
      have.info.lastUsedAt = Date.now();
      return have.info;
    }
    // A second call while the first is still launching (double click, chat and spot-check on one target) shares its launch.
    const inFlight = this.pending.get(key);
    if (inFlight) {
      const info = await inFlight;
      if (opts.deployed && !info.deployed) this.setDeployed(info.id, true);
      return info;
    }
    const run = this.deps.runs.get(target.runId);
    if (!run) throw new RpcError('not_found', `No run ${target.runId}.`);
    if (run.kind === 'api') throw new RpcError('bad_request', 'That run is an inference server itself; pick the training run.');
    const launching = this.launch(run, target, opts.gpuUuid ?? null, opts.deployed ?? false, null).then((entry) => {
      this.entries.set(key, entry);
      return entry.info;
    });
    this.pending.set(key, launching);
    try {
      return await launching;
    } finally {
      this.pending.delete(key);
    }
  }

  /** Resolves when the target's server answers; rejects with the failure (and its log tail) when it dies first. */
  async ready(target: ChatTarget): Promise<ChatServer> {
    const info = await this.ensure(target);
    const e = this.entries.get(keyOf(target))!;
    if (info.status === 'ready') return info;
    return new Promise((resolve, reject) => e.waiters.push({ resolve, reject }));
  }

  touch(target: ChatTarget): void {
    const e = this.entries.get(keyOf(target));
    if (e) e.info.lastUsedAt = Date.now();
  }

  private async launch(run: Run, target: ChatTarget, gpuUuid: string | null, deployed: boolean, previous: Entry | null): Promise<Entry> {
    const settings = this.ctx.settings();
    let cfg;
    try {
      cfg = buildInferConfig(run, target.checkpoint, settings);
    } catch (e) {
      throw new RpcError('bad_request', e instanceof Error ? e.message : String(e));
    }
    const need = inferenceEstimateMiB(cfg.modelPath);
    let gpu;
    try {
      gpu = pickGpu({
        snapshot: this.deps.gpus.snapshot(),
        active: this.deps.runs.active(),
        needMiB: need,
        marginMiB: settings.safetyMarginMiB,
        requested: gpuUuid,
        reserved: settings.chat.reservedGpuUuid,
      });
    } catch (e) {
      throw new RpcError('unavailable', e instanceof Error ? e.message : String(e));
    }
    const taken = this.list().filter((s) => s.status !== 'stopped' && s.status !== 'failed').map((s) => s.port);
    const port = await freePort(taken, this.o.ports[0], this.o.ports[1]);
    const apiKey = previous?.info.apiKey ?? `sk-trainyard-${randomBytes(24).toString('hex')}`;
    const model = sanitizeName(`${run.name}${target.checkpoint ? `-${target.checkpoint}` : ''}`);
    const apiRun = await this.deps.runs.launch({
      name: `chat: ${run.name}${target.checkpoint ? ` @ ${target.checkpoint}` : ''}`,
      kind: 'api',
      taskId: null,
      sweepId: null,
      parentRunId: run.id,
      configYaml: cfg.yaml,
      workDir: run.workDir,
      gpuIndices: gpu.gpuIndices,
      gpuUuids: gpu.gpuUuids,
      estimateMiB: need,
      extraEnv: { API_HOST: '127.0.0.1', API_PORT: String(port), API_KEY: apiKey, API_MODEL_NAME: model },
    });
    this.repo.saveServer({ apiRunId: apiRun.id, runId: run.id, checkpoint: target.checkpoint, port, apiKey, deployed });
    const now = Date.now();
    const info: ChatServer = {
      id: apiRun.id,
      runId: run.id,
      runName: run.name,
      checkpoint: target.checkpoint,
      status: 'starting',
      progress: `Starting on ${gpu.gpuIndices.length ? `GPU ${gpu.gpuIndices.join(',')}` : 'the CPU'} (${gpu.reason})…`,
      port,
      baseURL: `http://127.0.0.1:${port}/v1`,
      apiKey,
      model,
      gpuIndices: gpu.gpuIndices,
      gpuUuids: gpu.gpuUuids,
      deployed,
      startedAt: previous?.info.startedAt ?? now,
      readyAt: null,
      lastUsedAt: now,
      failure: null,
    };
    const entry: Entry = {
      info,
      tail: new LogTail(runFiles(apiRun.runDir).console),
      portClash: false,
      attempts: (previous?.attempts ?? 0) + 1,
      poll: null,
      waiters: previous?.waiters ?? [],
      deadline: now + this.o.readyTimeoutMs,
    };
    this.watch(entry, target);
    this.emit(info);
    return entry;
  }

  private watch(e: Entry, target: ChatTarget): void {
    let busy = false;
    e.poll = setInterval(() => {
      if (busy) return;
      busy = true;
      void this.check(e, target).finally(() => (busy = false));
    }, this.o.pollMs);
  }

  private async check(e: Entry, target: ChatTarget): Promise<void> {
    let changed = false;
    for (const line of e.tail.lines()) {
      if (ADDRESS_IN_USE.test(line)) e.portClash = true;
      const p = progressLine(line);
      if (p && e.info.status !== 'ready' && p !== e.info.progress) {
        e.info.progress = p;
        changed = true;
      }
    }
    const run = this.deps.runs.get(e.info.id);
    if (!isRunActive(run)) return this.ended(e, target, run);
    if (e.info.status === 'starting' && run!.status === 'running') {
      e.info.status = 'loading';
      changed = true;
    }
    if (e.info.status === 'loading' && !e.portClash) {
      const id = await probeModels(e.info.baseURL, e.info.apiKey);
      if (id !== null && this.entries.get(keyOf(target)) === e) {
        Object.assign(e.info, { status: 'ready', model: id, readyAt: Date.now(), lastUsedAt: Date.now(), progress: '' });
        for (const w of e.waiters.splice(0)) w.resolve(e.info);
        changed = true;
      } else if (Date.now() > e.deadline) {
        this.emit(e.info);
        await this.deps.runs.stop(e.info.id);
        this.fail(e, `The server did not answer GET /v1/models within ${Math.round(this.o.readyTimeoutMs / 1000)} s.`);
        return;
      }
    }
    if (changed) this.emit(e.info);
  }

  private async ended(e: Entry, target: ChatTarget, run: Run | null): Promise<void> {
    if (e.poll) clearInterval(e.poll);
    e.poll = null;
    // One more read: the clash line may have landed with the exit.
    for (const line of e.tail.lines()) if (ADDRESS_IN_USE.test(line)) e.portClash = true;
    forgetClient(e.info);
    if (e.info.status === 'stopped') return;
    if (e.portClash && e.attempts < this.o.portAttempts && this.entries.get(keyOf(target)) === e) {
      const parent = this.deps.runs.get(target.runId);
      if (parent) {
        try {
          const next = await this.launch(parent, target, e.info.gpuUuids[0] ?? null, e.info.deployed, e);
          next.info.progress = `Port ${e.info.port} was taken; retrying on port ${next.info.port}…`;
          this.entries.set(keyOf(target), next);
          this.emit(next.info);
          return;
        } catch (err) {
          return this.fail(e, err instanceof Error ? err.message : String(err));
        }
      }
    }
    const why = run?.failure?.message.text ?? (run ? `The server exited (code ${run.exitCode ?? '?'}${run.signal ? `, ${run.signal}` : ''}).` : 'The server run vanished.');
    this.fail(e, e.info.status === 'ready' ? `The server stopped: ${why}` : `The server failed while loading: ${why}`, run);
  }

  private fail(e: Entry, message: string, run?: Run | null): void {
    if (e.poll) clearInterval(e.poll);
    e.poll = null;
    const r = run ?? this.deps.runs.get(e.info.id);
    e.info.status = 'failed';
    e.info.failure = { message, logTail: r ? LogTail.tail(runFiles(r.runDir).console) : '' };
    const err = new RpcError('unavailable', `${message}\n${e.info.failure.logTail}`.trim());
    for (const w of e.waiters.splice(0)) w.reject(err);
    this.emit(e.info);
  }

  /** Stops a server (by its api run id) and forgets it. */
  async stop(id: string): Promise<ChatServer> {
    const e = [...this.entries.values()].find((x) => x.info.id === id);
    if (!e) throw new RpcError('not_found', `No inference server ${id}.`);
    if (e.poll) clearInterval(e.poll);
    e.poll = null;
    e.info.status = 'stopped';
    for (const w of e.waiters.splice(0)) w.reject(new RpcError('conflict', 'The server was stopped.'));
    forgetClient(e.info);
    for (const [k, v] of this.entries) if (v === e) this.entries.delete(k);
    if (isRunActive(this.deps.runs.get(id))) await this.deps.runs.stop(id);
    this.emit(e.info);
    return e.info;
  }

  /** The chat view closed: stop the target's server unless it is deployed as an API. */
  async close(target: ChatTarget): Promise<void> {
    const s = this.find(target);
    if (!s) return;
    if (s.status === 'failed') {
      for (const [k, v] of this.entries) if (v.info === s) this.entries.delete(k);
      return;
    }
    if (!s.deployed) await this.stop(s.id);
  }

  setDeployed(id: string, deployed: boolean): ChatServer {
    const s = this.byId(id);
    if (!s) throw new RpcError('not_found', `No inference server ${id}.`);
    s.deployed = deployed;
    const rec = this.repo.server(id);
    if (rec) this.repo.saveServer({ ...rec, deployed });
    s.lastUsedAt = Date.now();
    this.emit(s);
    return s;
  }

  /** Engine start: adopt servers that outlived the previous engine (api runs still active), then check idleness. */
  start(): void {
    for (const run of this.deps.runs.active()) {
      if (run.kind !== 'api') continue;
      const rec = this.repo.server(run.id);
      const parent = rec ? this.deps.runs.get(rec.runId) : null;
      if (!rec || !parent) continue;
      const target = { runId: rec.runId, checkpoint: rec.checkpoint };
      const now = Date.now();
      const entry: Entry = {
        info: {
          id: run.id,
          runId: rec.runId,
          runName: parent.name,
          checkpoint: rec.checkpoint,
          status: 'loading',
          progress: '',
          port: rec.port,
          baseURL: `http://127.0.0.1:${rec.port}/v1`,
          apiKey: rec.apiKey,
          model: run.env.API_MODEL_NAME ?? 'gpt-3.5-turbo',
          gpuIndices: run.gpuIndices,
          gpuUuids: run.gpuUuids,
          deployed: rec.deployed,
          startedAt: run.startedAt ?? run.createdAt,
          readyAt: null,
          lastUsedAt: now,
          failure: null,
        },
        tail: new LogTail(runFiles(run.runDir).console),
        portClash: false,
        attempts: this.o.portAttempts,
        poll: null,
        waiters: [],
        deadline: now + this.o.readyTimeoutMs,
      };
      this.entries.set(keyOf(target), entry);
      this.watch(entry, target);
    }
    this.idleTimer = setInterval(() => void this.sweepIdle(), this.o.idleCheckMs);
    this.idleTimer.unref();
  }

  async sweepIdle(now = Date.now()): Promise<string[]> {
    const limit = this.ctx.settings().chat.idleMinutes * 60_000;
    const idle = this.list().filter((s) => s.status === 'ready' && !s.deployed && now - s.lastUsedAt > limit);
    for (const s of idle) await this.stop(s.id).catch(() => undefined);
    return idle.map((s) => s.id);
  }

  /** Engine shutdown: stop watching; servers keep running (deployed ones on purpose, the rest are stopped when idle after the next start). */
  shutdown(): void {
    if (this.idleTimer) clearInterval(this.idleTimer);
    for (const e of this.entries.values()) if (e.poll) clearInterval(e.poll);
  }

  private emit(s: ChatServer): void {
    this.ctx.bus.emit('chat.server', { ...s, failure: s.failure ? { ...s.failure } : null });
  }
}
