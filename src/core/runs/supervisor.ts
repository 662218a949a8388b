/** The run supervisor: launches trainers under detached holders, adopts them after an engine restart, stops them, records how they end. */
import { mkdirSync, rmSync } from 'node:fs';
import { join } from 'node:path';
import { msg } from '../../shared/messages/message.js';
import { RpcError } from '../../shared/rpc/protocol.js';
import type { Run } from '../../shared/types/run.js';
import type { CoreContext } from '../context.js';
import { createMetricsRepo, type MetricsRepo } from '../store/metricsRepo.js';
import { createRunsRepo, type RunsRepo, type StoredRun } from '../store/runsRepo.js';
import { newId } from '../util/ids.js';
import { adopt } from './adopt.js';
import type { ExternalRuns } from './externalRuns.js';
import { readExitInfo, readHolderInfo, runFiles, socketPathFor, spawnHolder } from './holderProcess.js';
import { deliverStop, dropLive, requestStop } from './liveRuns.js';
import { fileSize, replayTail } from './logFile.js';
import { freePort } from './ports.js';
import { argvConfigPath, ownResourceDirs, prepareConfig, runEnv, writeRunDir } from './prepareLaunch.js';
import { type Escalation, type ProcInfo, recentProcs, runProcesses } from './procTree.js';
import type { LaunchSpec, RunSupervisor } from './supervisorApi.js';
import { isActive, type Live, sleep, type SupervisorOptions, type SupervisorState } from './supervisorState.js';
import { DEFAULT_HUB_LIMITS, TerminalHub } from './terminalHub.js';
import { trainerCommand } from './trainerCommand.js';
import { logger } from '../log/logger.js';

const log = logger('runs');

// Moved out to keep this file to the class; still importable from here as before.
export type { SupervisorOptions } from './supervisorState.js';

export class Supervisor implements RunSupervisor {
  readonly repo: RunsRepo;
  readonly metrics: MetricsRepo;
  readonly hub: TerminalHub;
  private live = new Map<string, Live>();
  private listeners = new Set<(run: Run) => void>();
  private launchChain: Promise<unknown> = Promise.resolve();
  private retries = new Set<NodeJS.Timeout>();
  private reapers = new Map<string, Escalation>();
  /** The last /proc scan indexed by pid (rebuilt when recentProcs hands out a new scan). */
  private procIndex: { procs: ProcInfo[]; byPid: Map<number, ProcInfo> } | null = null;
  /** What adopt.ts, liveRuns.ts and runEnd.ts work on: this supervisor's own stores, hub and tables. */
  private state: SupervisorState;
  /** Runs another domain executes (Slurm): not adopted, stopped or restarted through holders. */
  private external: ExternalRuns | null = null;

  constructor(
    private ctx: CoreContext,
    private opts: SupervisorOptions = {},
  ) {
    this.repo = createRunsRepo(ctx.db);
    this.metrics = createMetricsRepo(ctx.db);
    this.hub = new TerminalHub((id) => this.screen(id), opts.hubLimits ?? DEFAULT_HUB_LIMITS);
    this.state = {
      ctx,
      opts,
      repo: this.repo,
      metrics: this.metrics,
      hub: this.hub,
      live: this.live,
      retries: this.retries,
      reapers: this.reapers,
      changed: (run) => this.changed(run),
    };
  }

  /** Hands runs that `e` owns to it (set before start(), so they are never taken for lost holders). */
  useExternal(e: ExternalRuns): void {
    this.external = e;
  }
  externalOwner(id: string): ExternalRuns | null {
    return this.external?.owns(id) ? this.external : null;
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
    const extra = this.external?.describe(r.id);
    return extra ? { ...run, ...extra } : run;
  }

  /**
   * The run a process belongs to, by the run marker in its environment: a worker that left the session or was
   * re-parented to pid 1 is still its run's, also after the run was stopped or lost (its memory is still held). Only
   * runs of this store count. Trainers of holders from before the marker are matched by their tree, as before.
   */
  runIdForPid(pid: number): string | null {
    const procs = recentProcs(1000);
    if (this.procIndex?.procs !== procs) this.procIndex = { procs, byPid: new Map(procs.map((p) => [p.pid, p])) };
    const marker = this.procIndex.byPid.get(pid)?.runId;
    if (marker && (this.live.has(marker) || this.reapers.has(marker) || this.repo.get(marker))) return marker;
    for (const [id, l] of this.live) {
      if (l.legacy && l.trainerPid && (l.trainerPid === pid || runProcesses(l.trainerPid, procs).includes(pid))) return id;
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
      // Folders of active runs are taken: the config's output_dir then becomes a distinct <output_dir>-N.
      const claimed = new Set(this.repo.active().map((r) => r.outputDir).filter(Boolean));
      prepared = prepareConfig(spec, id, this.ctx.paths.outputsDir, claimed, ownResourceDirs(this.ctx));
    } catch (e) {
      throw new RpcError('bad_request', e instanceof Error ? e.message : String(e));
    }
    if (prepared.outputDir) {
      const holder = this.repo.activeWithOutputDir(prepared.outputDir);
      if (holder) throw new RpcError('conflict', `Run "${holder.name}" is already writing to ${prepared.outputDir}; two runs never share an output_dir.`);
    }
    const configPath = writeRunDir(runDir, prepared.yaml);
    const sub = spec.kind === 'api' ? 'api' : spec.kind === 'export' ? 'export' : 'train';
    let argv: string[];
    try {
      const argPath = argvConfigPath(configPath, spec.workDir, id);
      argv = this.opts.commandFor
        ? this.opts.commandFor(sub, argPath, spec)
        : (await trainerCommand(sub, argPath, this.ctx.settings(), this.ctx.env, this.ctx.resourcesDir)).argv;
    } catch (e) {
      rmSync(runDir, { recursive: true, force: true });
      throw new RpcError('unavailable', e instanceof Error ? e.message : String(e));
    }
    const taken = this.repo.active().map((r) => r.masterPort).filter((p): p is number => p !== null);
    const masterPort = await freePort(taken);
    const env = runEnv({ spec, outputDir: prepared.outputDir, masterPort, hasDeepspeed: prepared.hasDeepspeed, program: argv[0], path: this.ctx.env.PATH });
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
    try {
      run.holderPid = spawnHolder(runDir, { argv, cwd: spec.workDir, socketPath, cols: 120, rows: 32 }, { ...this.ctx.env, ...env });
    } catch (e) {
      // No holder, so nothing will ever report on this run: settle it now rather than leave it 'starting' forever.
      const detail = e instanceof Error ? e.message : String(e);
      Object.assign(run, {
        status: 'failed',
        endedAt: Date.now(),
        failure: {
          kind: /ENOSPC|No space left/.test(detail) ? 'disk-full' : 'unknown',
          message: msg('failure.holderSpawn', { detail }),
          suggestion: /ENOSPC|No space left/.test(detail) ? msg('failure.fix.holderDisk') : msg('failure.fix.holderStart'),
        },
      } satisfies Partial<StoredRun>);
      this.repo.save(run);
      this.changed(run);
      return this.get(id)!;
    }
    this.repo.save(run);
    this.changed(run);
    const deadline = Date.now() + (this.opts.holderStartMs ?? 15_000);
    while (Date.now() < deadline) {
      if (readHolderInfo(runDir) || readExitInfo(runDir)) break;
      await sleep(15);
    }
    await adopt(this.state, run);
    return this.get(id)!;
  }

  /** Broadcast a run (already saved) on the bus and to onChange listeners; a failing listener never breaks the others. */
  private changed(run: StoredRun): void {
    const pub = this.public(run)!;
    this.ctx.bus.emit('runs.changed', pub);
    for (const l of [...this.listeners]) {
      try {
        l(pub);
      } catch (e) {
        log.error('change listener failed', e);
      }
    }
  }

  async stop(id: string): Promise<Run> {
    const run = this.repo.get(id);
    if (!run) throw new RpcError('not_found', `No run ${id}.`);
    if (!isActive(run)) return this.public(run)!;
    const owner = this.externalOwner(id);
    if (owner) return owner.stop(id);
    if (run.status !== 'stopping') {
      run.status = 'stopping';
      this.repo.save(run);
      this.changed(run);
    }
    // At once, also while the holder is still coming up: it reads stop.json from its first moment.
    requestStop(this.state, run);
    const l = this.live.get(id);
    if (l) deliverStop(this.state, run, l);
    else {
      // Not attached (the holder never answered): attaching delivers the stop; or the files settle the run.
      await adopt(this.state, run);
    }
    return this.get(id)!;
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
    for (const run of this.repo.active()) if (!this.externalOwner(run.id)) await adopt(this.state, run);
  }

  /** Engine shutdown: let go of holders, followers and reapers; the trainers keep running. */
  shutdown(): void {
    for (const t of this.retries) clearTimeout(t);
    this.retries.clear();
    // A lost run's leftovers: the next engine finds them again by their marker and carries on.
    for (const r of this.reapers.values()) r.cancel();
    this.reapers.clear();
    for (const id of [...this.live.keys()]) dropLive(this.state, id);
    this.hub.closeAll();
  }

  save(run: StoredRun): void {
    this.repo.save(run);
    this.changed(run);
  }
}
