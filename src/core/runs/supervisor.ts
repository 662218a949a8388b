/** The run supervisor: launches trainers under detached holders, adopts them after an engine restart, stops them, records how they end. */
import { existsSync, mkdirSync, rmSync } from 'node:fs';
import { join } from 'node:path';
import { RpcError } from '../../shared/rpc/protocol.js';
import type { Run } from '../../shared/types/run.js';
import type { CoreContext } from '../context.js';
import { MetricsRepo } from '../store/metricsRepo.js';
import { RunsRepo, type StoredRun } from '../store/runsRepo.js';
import { newId } from '../util/ids.js';
import { adopt } from './adopt.js';
import { readExitInfo, readHolderInfo, runFiles, socketPathFor, spawnHolder } from './holderProcess.js';
import { dropLive, escalate } from './liveRuns.js';
import { fileSize, replayTail } from './logFile.js';
import { freePort } from './ports.js';
import { prepareConfig, runEnv, writeRunDir } from './prepareLaunch.js';
import { listProcs, runProcesses } from './procTree.js';
import type { LaunchSpec, RunSupervisor } from './supervisorApi.js';
import { isActive, type Live, sleep, type SupervisorOptions, type SupervisorState } from './supervisorState.js';
import { DEFAULT_HUB_LIMITS, TerminalHub } from './terminalHub.js';
import { trainerCommand } from './trainerCommand.js';

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
  private procCache: { at: number; procs: ReturnType<typeof listProcs> } | null = null;
  /** What adopt.ts, liveRuns.ts and runEnd.ts work on: this supervisor's own stores, hub and tables. */
  private state: SupervisorState;

  constructor(
    private ctx: CoreContext,
    private opts: SupervisorOptions = {},
  ) {
    this.repo = new RunsRepo(ctx.db);
    this.metrics = new MetricsRepo(ctx.db);
    this.hub = new TerminalHub((id) => this.screen(id), opts.hubLimits ?? DEFAULT_HUB_LIMITS);
    this.state = {
      ctx,
      opts,
      repo: this.repo,
      metrics: this.metrics,
      hub: this.hub,
      live: this.live,
      retries: this.retries,
      changed: (run, statusChange) => this.changed(run, statusChange),
    };
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
          message: `Trainyard could not start the run's holder process: ${detail}`,
          suggestion: /ENOSPC|No space left/.test(detail)
            ? 'Free disk space in the Trainyard data folder, then launch the run again.'
            : 'Launch the run again; if it keeps failing, check free memory and the process limit (ulimit -u) of this machine.',
        },
      } satisfies Partial<StoredRun>);
      this.repo.save(run);
      this.changed(run, true);
      return this.get(id)!;
    }
    this.repo.save(run);
    this.changed(run, true);
    const deadline = Date.now() + (this.opts.holderStartMs ?? 15_000);
    while (Date.now() < deadline) {
      if (readHolderInfo(runDir) || readExitInfo(runDir)) break;
      await sleep(15);
    }
    await adopt(this.state, run);
    return this.get(id)!;
  }

  /** Broadcast a run (already saved) on the bus and to onChange listeners; a failing listener never breaks the others. */
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
    if (l) escalate(this.state, l);
    else {
      // Not attached (the holder never answered): settle from the files.
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
    for (const run of this.repo.active()) await adopt(this.state, run);
  }

  /** Engine shutdown: let go of holders and followers; the trainers keep running. */
  shutdown(): void {
    for (const t of this.retries) clearTimeout(t);
    this.retries.clear();
    for (const id of [...this.live.keys()]) dropLive(this.state, id);
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
