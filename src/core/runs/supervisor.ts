/** The run supervisor: launches trainers under detached holders, adopts them after an engine restart, stops them, records how they end. */
import { existsSync, mkdirSync, rmSync } from 'node:fs';
import { join } from 'node:path';
import { RpcError } from '../../shared/rpc/protocol.js';
import { ACTIVE_RUN_STATUSES, type FailureReason, type MetricPoint, type Run, type RunProgress } from '../../shared/types/run.js';
import type { CoreContext } from '../context.js';
import { MetricsFollower } from '../metrics/follower.js';
import { toast } from '../services/systemDomain.js';
import { MetricsRepo } from '../store/metricsRepo.js';
import { RunsRepo, type StoredRun } from '../store/runsRepo.js';
import { newId } from '../util/ids.js';
import { HolderLink } from './attach.js';
import { classifyFailure } from './failure.js';
import { type ExitInfo, holderProcessMatches, readExitInfo, readHolderInfo, runFiles, socketPathFor, spawnHolder } from './holderProcess.js';
import { fileSize, readRange, replayTail } from './logFile.js';
import { freePort } from './ports.js';
import { prepareConfig, runEnv, writeRunDir } from './prepareLaunch.js';
import { listProcs, runProcesses, signalAll } from './procTree.js';
import type { LaunchSpec, RunSupervisor } from './supervisorApi.js';
import { DEFAULT_HUB_LIMITS, type HubLimits, TerminalHub } from './terminalHub.js';
import { trainerCommand } from './trainerCommand.js';

export interface SupervisorOptions {
  /** Replaces the trainer argv (tests use scripted trainers): gets the subcommand and the config copy's path. */
  commandFor?: (sub: 'train' | 'api', configPath: string, spec: LaunchSpec) => string[];
  /** SIGABRT (graceful save) → SIGTERM after this long. */
  stopGraceMs?: number;
  /** SIGTERM → SIGKILL to every process of the session after this long. */
  killAfterMs?: number;
  metricsPollMs?: number;
  hubLimits?: HubLimits;
  /** How long launch waits for the holder to report the trainer's pid. */
  holderStartMs?: number;
}

interface Live {
  link: HolderLink | null;
  trainerPid: number;
  follower: MetricsFollower | null;
  timers: NodeJS.Timeout[];
  lastChangeEmit: number;
  changeTimer: NodeJS.Timeout | null;
  ending: boolean;
}

const sleep = (ms: number) => new Promise((r) => setTimeout(r, ms));
const isActive = (r: Run) => ACTIVE_RUN_STATUSES.includes(r.status);

export class Supervisor implements RunSupervisor {
  readonly repo: RunsRepo;
  readonly metrics: MetricsRepo;
  readonly hub: TerminalHub;
  private live = new Map<string, Live>();
  private listeners = new Set<(run: Run) => void>();
  private launchChain: Promise<unknown> = Promise.resolve();
  private retries = new Set<NodeJS.Timeout>();
  private procCache: { at: number; procs: ReturnType<typeof listProcs> } | null = null;

  constructor(
    private ctx: CoreContext,
    private opts: SupervisorOptions = {},
  ) {
    this.repo = new RunsRepo(ctx.db);
    this.metrics = new MetricsRepo(ctx.db);
    this.hub = new TerminalHub((id) => this.screen(id), opts.hubLimits ?? DEFAULT_HUB_LIMITS);
  }

  // ---- queries ----
  get(id: string): Run | null {
    return this.public(this.repo.get(id));
  }
  list(): Run[] {
    return this.repo.list().map((r) => this.public(r)!);
  }
  active(): Run[] {
    return this.repo.active().map((r) => this.public(r)!);
  }
  onChange(listener: (run: Run) => void): () => void {
    this.listeners.add(listener);
    return () => this.listeners.delete(listener);
  }
  private public(r: StoredRun | null): Run | null {
    if (!r) return null;
    const { holderPid: _h, ...run } = r;
    return run;
  }

  runIdForPid(pid: number): string | null {
    if (!this.procCache || Date.now() - this.procCache.at > 1000) this.procCache = { at: Date.now(), procs: listProcs() };
    for (const [id, l] of this.live) {
      if (l.trainerPid && (l.trainerPid === pid || runProcesses(l.trainerPid, this.procCache.procs).includes(pid))) return id;
    }
    return null;
  }

  /** The terminal screen of a run: console.log's tail up to the bytes already handed to the hub. */
  private screen(id: string): string {
    const run = this.repo.get(id);
    if (!run) return '';
    const file = runFiles(run.runDir).console;
    const end = this.live.get(id)?.link?.logEnd ?? fileSize(file);
    return replayTail(file, end).toString('utf8');
  }

  input(id: string, data: string): void {
    const l = this.live.get(id);
    if (!l?.link) throw new RpcError('conflict', 'The run is not running, so it takes no input.');
    l.link.input(data);
  }

  resize(id: string, cols: number, rows: number): void {
    this.live.get(id)?.link?.resize(cols, rows);
  }

  // ---- lifecycle ----
  launch(spec: LaunchSpec): Promise<Run> {
    // One launch at a time: the MASTER_PORT probe and the output_dir check must not race another launch.
    const p = this.launchChain.then(() => this.doLaunch(spec));
    this.launchChain = p.catch(() => undefined);
    return p;
  }

  private async doLaunch(spec: LaunchSpec): Promise<Run> {
    const id = newId('run');
    const runDir = join(this.ctx.paths.runsDir, id);
    let prepared;
    try {
      prepared = prepareConfig(spec, id, this.ctx.paths.outputsDir);
    } catch (e) {
      throw new RpcError('bad_request', e instanceof Error ? e.message : String(e));
    }
    if (prepared.outputDir) {
      const holder = this.repo.activeWithOutputDir(prepared.outputDir);
      if (holder) throw new RpcError('conflict', `Run "${holder.name}" is already writing to ${prepared.outputDir}; two runs never share an output_dir.`);
    }
    const configPath = writeRunDir(runDir, prepared.yaml);
    const sub = spec.kind === 'api' ? 'api' : 'train';
    let argv: string[];
    try {
      argv = this.opts.commandFor
        ? this.opts.commandFor(sub, configPath, spec)
        : trainerCommand(sub, configPath, this.ctx.settings(), this.ctx.env, this.ctx.resourcesDir).argv;
    } catch (e) {
      rmSync(runDir, { recursive: true, force: true });
      throw new RpcError('unavailable', e instanceof Error ? e.message : String(e));
    }
    const taken = this.repo.active().map((r) => r.masterPort).filter((p): p is number => p !== null);
    const masterPort = await freePort(taken);
    const env = runEnv({ spec, outputDir: prepared.outputDir, masterPort, hasDeepspeed: prepared.hasDeepspeed });
    if (prepared.outputDir) mkdirSync(prepared.outputDir, { recursive: true });
    const now = Date.now();
    const run: StoredRun = {
      id,
      name: spec.name,
      kind: spec.kind,
      taskId: spec.taskId,
      sweepId: spec.sweepId,
      parentRunId: spec.parentRunId,
      status: 'starting',
      gpuIndices: spec.gpuIndices,
      gpuUuids: spec.gpuUuids,
      outputDir: prepared.outputDir,
      runDir,
      configPath,
      workDir: spec.workDir,
      argv,
      env,
      masterPort,
      pid: null,
      holderPid: null,
      exitCode: null,
      signal: null,
      failure: null,
      estimateMiB: spec.estimateMiB,
      peakMiB: null,
      progress: null,
      tags: [],
      notes: '',
      createdAt: now,
      startedAt: null,
      endedAt: null,
    };
    this.repo.save(run);
    const socketPath = socketPathFor(runDir);
    run.holderPid = spawnHolder(runDir, { argv, cwd: spec.workDir, socketPath, cols: 120, rows: 32 }, { ...this.ctx.env, ...env });
    this.repo.save(run);
    this.changed(run, true);
    const deadline = Date.now() + (this.opts.holderStartMs ?? 15_000);
    while (Date.now() < deadline) {
      if (readHolderInfo(runDir) || readExitInfo(runDir)) break;
      await sleep(15);
    }
    await this.adopt(run);
    return this.get(id)!;
  }

  /** Re-attach to a run the store thinks is active, or settle it from its files. */
  private async adopt(run: StoredRun): Promise<void> {
    const info = readHolderInfo(run.runDir);
    if (info && holderProcessMatches(info, run.runDir)) {
      try {
        await this.attach(run, info.socketPath, info.trainerPid);
        return;
      } catch {
        // The holder is alive but did not answer: it may be exiting right now; the files decide below.
        await sleep(200);
      }
    }
    const exit = readExitInfo(run.runDir);
    if (exit) return this.finish(run.id, exit);
    if (info && holderProcessMatches(info, run.runDir)) {
      // Alive but did not answer in time (a loaded machine): keep it active and try again shortly, never call it lost.
      const t = setTimeout(() => {
        this.retries.delete(t);
        const latest = this.repo.get(run.id);
        if (latest && isActive(latest) && !this.live.has(run.id)) void this.adopt(latest);
      }, 1000);
      this.retries.add(t);
      return;
    }
    const failure: FailureReason = {
      kind: 'unknown',
      message: info
        ? 'The run holder process is gone and left no exit status (the machine restarted, or the holder was killed).'
        : 'The run never started: its holder did not come up.',
      suggestion: 'Restart the run; with "resume" it continues from its last checkpoint.',
    };
    this.catchUpMetrics(run);
    Object.assign(run, { status: 'lost', failure, endedAt: Date.now() });
    this.repo.save(run);
    this.changed(run, true);
  }

  private async attach(run: StoredRun, socketPath: string, trainerPid: number): Promise<void> {
    const l: Live = { link: null, trainerPid, follower: null, timers: [], lastChangeEmit: 0, changeTimer: null, ending: false };
    this.live.set(run.id, l);
    try {
      l.link = await HolderLink.open(run.runDir, socketPath, {
        bytes: (chunk) => this.hub.push(run.id, chunk),
        exit: (exit) => void this.finish(run.id, exit),
        closed: () => void this.onClosed(run.id),
      });
    } catch (e) {
      this.live.delete(run.id);
      throw e;
    }
    const current = this.repo.get(run.id)!;
    if (current.status === 'starting') {
      Object.assign(current, { status: 'running', pid: trainerPid, startedAt: current.startedAt ?? Date.now() });
      this.repo.save(current);
      this.changed(current, true);
    }
    if (current.kind !== 'api') l.follower = this.follow(current);
    if (current.status === 'stopping') this.escalate(run.id, l);
  }

  private follow(run: StoredRun): MetricsFollower {
    const f = new MetricsFollower({
      runId: run.id,
      outputDir: run.outputDir || null,
      consolePath: runFiles(run.runDir).console,
      repo: this.metrics,
      pollMs: this.opts.metricsPollMs,
      onPoints: (points: MetricPoint[], reset: boolean) => this.ctx.bus.emit('runs.metrics', { runId: run.id, points, ...(reset ? { reset } : {}) }),
      onProgress: (p: RunProgress) => this.progress(run.id, p),
    });
    f.start();
    return f;
  }

  private catchUpMetrics(run: StoredRun): MetricsFollower | null {
    if (run.kind === 'api') return null;
    const f = new MetricsFollower({
      runId: run.id,
      outputDir: run.outputDir || null,
      consolePath: runFiles(run.runDir).console,
      repo: this.metrics,
      onPoints: (points, reset) => this.ctx.bus.emit('runs.metrics', { runId: run.id, points, ...(reset ? { reset } : {}) }),
      onProgress: (p) => {
        run.progress = p;
      },
    });
    f.poll();
    return f;
  }

  private progress(id: string, p: RunProgress): void {
    const run = this.repo.get(id);
    const l = this.live.get(id);
    if (!run || !l) return;
    run.progress = p;
    this.repo.save(run);
    // Throttle to ~2/s per run: charts get every point via runs.metrics; cards only need the latest progress.
    const wait = 500 - (Date.now() - l.lastChangeEmit);
    if (wait <= 0) {
      l.lastChangeEmit = Date.now();
      this.changed(run, false);
    } else if (!l.changeTimer) {
      l.changeTimer = setTimeout(() => {
        l.changeTimer = null;
        l.lastChangeEmit = Date.now();
        const latest = this.repo.get(id);
        if (latest) this.changed(latest, false);
      }, wait);
    }
  }

  private changed(run: StoredRun, _statusChange: boolean): void {
    const pub = this.public(run)!;
    this.ctx.bus.emit('runs.changed', pub);
    for (const l of [...this.listeners]) {
      try {
        l(pub);
      } catch (e) {
        console.error('[runs] change listener failed:', e);
      }
    }
  }

  private async onClosed(id: string): Promise<void> {
    const l = this.live.get(id);
    if (!l || l.ending) return;
    // The holder writes exit.json before it closes; give the rename a moment to land.
    for (let i = 0; i < 20; i++) {
      const exit = readExitInfo(this.repo.get(id)?.runDir ?? '');
      if (exit) return this.finish(id, exit);
      await sleep(50);
    }
    const run = this.repo.get(id);
    if (!run) return;
    this.dropLive(id);
    await this.adopt(run);
  }

  private dropLive(id: string): Live | undefined {
    const l = this.live.get(id);
    if (!l) return undefined;
    this.live.delete(id);
    for (const t of l.timers) clearTimeout(t);
    if (l.changeTimer) clearTimeout(l.changeTimer);
    l.follower?.stop();
    l.link?.close();
    this.hub.resetRun(id);
    return l;
  }

  private async finish(id: string, exit: ExitInfo): Promise<void> {
    const l = this.live.get(id);
    if (l) {
      if (l.ending) return;
      l.ending = true;
    }
    const run = this.repo.get(id);
    if (!run) return;
    this.dropLive(id);
    if (!isActive(run)) return;
    // Everything the trainer wrote is on disk now: take the last metrics before judging the run.
    const follower = this.catchUpMetrics(run);
    const stopped = run.status === 'stopping';
    const ok = exit.exitCode === 0 && !exit.signal;
    run.status = stopped ? 'stopped' : ok ? 'finished' : 'failed';
    run.exitCode = exit.exitCode;
    run.signal = exit.signal;
    run.endedAt = exit.endedAt;
    if (run.status === 'failed') {
      const file = runFiles(run.runDir).console;
      const size = fileSize(file);
      const tail = readRange(file, Math.max(0, size - 64 * 1024), size).toString('utf8');
      run.failure = exit.error
        ? { kind: 'unknown', message: exit.error, suggestion: 'Check the trainer path in Settings → Trainer.' }
        : classifyFailure({ tail, exitCode: exit.exitCode, signal: exit.signal, nanLoss: follower?.nanLoss });
    }
    this.repo.save(run);
    this.changed(run, true);
    if (run.status === 'finished') toast(this.ctx, 'success', `${run.name} finished`, run.progress?.lastLoss != null ? `Final loss ${run.progress.lastLoss}` : 'The run finished.', run.id);
    else if (run.status === 'failed') toast(this.ctx, 'error', `${run.name} failed`, `${run.failure?.message ?? ''}\n${run.failure?.suggestion ?? ''}`.trim(), run.id);
    else if (run.status === 'stopped') toast(this.ctx, 'info', `${run.name} stopped`, 'The run was stopped.', run.id);
  }

  async stop(id: string): Promise<Run> {
    const run = this.repo.get(id);
    if (!run) throw new RpcError('not_found', `No run ${id}.`);
    if (!isActive(run)) return this.public(run)!;
    if (run.status !== 'stopping') {
      run.status = 'stopping';
      this.repo.save(run);
      this.changed(run, true);
    }
    const l = this.live.get(id);
    if (l) this.escalate(id, l);
    else {
      // Not attached (the holder never answered): settle from the files.
      await this.adopt(run);
    }
    return this.get(id)!;
  }

  /** SIGABRT to the tree (LLaMA-Factory saves and exits), then SIGTERM, then SIGKILL to every process of the session. */
  private escalate(id: string, l: Live): void {
    for (const t of l.timers) clearTimeout(t);
    const pid = l.trainerPid;
    if (!pid) return;
    signalAll(runProcesses(pid), 'SIGABRT');
    const grace = this.opts.stopGraceMs ?? 60_000;
    const kill = this.opts.killAfterMs ?? 10_000;
    l.timers = [
      setTimeout(() => signalAll(runProcesses(pid), 'SIGTERM'), grace),
      setTimeout(() => signalAll(runProcesses(pid), 'SIGKILL'), grace + kill),
    ];
    for (const t of l.timers) t.unref();
  }

  /** Resolves when the run is no longer active (tests, the inference domain). */
  waitForEnd(id: string, timeoutMs = 60_000): Promise<Run> {
    return new Promise((resolve, reject) => {
      const check = (r: Run | null) => {
        if (r && r.id === id && !isActive(r)) {
          off();
          clearTimeout(timer);
          resolve(r);
        }
      };
      const off = this.onChange(check);
      const timer = setTimeout(() => {
        off();
        reject(new Error(`Run ${id} did not end within ${timeoutMs} ms.`));
      }, timeoutMs);
      check(this.get(id));
    });
  }

  /** Engine start: adopt every run the store thinks is active. */
  async start(): Promise<void> {
    for (const run of this.repo.active()) await this.adopt(run);
  }

  /** Engine shutdown: let go of holders and followers; the trainers keep running. */
  shutdown(): void {
    for (const t of this.retries) clearTimeout(t);
    this.retries.clear();
    for (const id of [...this.live.keys()]) this.dropLive(id);
    this.hub.closeAll();
  }

  runDirExists(id: string): boolean {
    const r = this.repo.get(id);
    return !!r && existsSync(r.runDir);
  }

  save(run: StoredRun): void {
    this.repo.save(run);
    this.changed(run, false);
  }
}
