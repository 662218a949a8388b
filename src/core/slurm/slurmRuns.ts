/** Slurm runs: submits a run's job script with sbatch, follows the job through squeue, its log and metrics from the run folder, stops it with scancel. */
import { chmodSync, mkdirSync, rmSync, writeFileSync } from 'node:fs';
import { join } from 'node:path';
import { RpcError } from '../../shared/rpc/protocol.js';
import type { Run } from '../../shared/types/run.js';
import type { SlurmRequest } from '../../shared/types/slurm.js';
import type { CoreContext } from '../context.js';
import { MetricsFollower } from '../metrics/follower.js';
import type { ExternalRuns } from '../runs/externalRuns.js';
import { classifyFailure } from '../runs/failure.js';
import { fileSize, readRange } from '../runs/logFile.js';
import { freePort } from '../runs/ports.js';
import { argvConfigPath, ownResourceDirs, prepareConfig, runEnv, writeRunDir } from '../runs/prepareLaunch.js';
import type { Supervisor } from '../runs/supervisor.js';
import type { LaunchSpec } from '../runs/supervisorApi.js';
import { trainerCommand } from '../runs/trainerCommand.js';
import type { StoredRun } from '../store/runsRepo.js';
import { createSlurmJobsRepo, publicJob, type StoredSlurmJob } from '../store/slurmJobsRepo.js';
import { BoundedReadError, readRegularFileSync } from '../util/boundedRead.js';
import { newId } from '../util/ids.js';
import { exitCodeOf, parseSqueue, readExitFile, type QueueLine } from './jobReport.js';
import { consolePathOf, jobScript, jobScriptPath, sbatchArgv, type JobScriptInput } from './jobScript.js';
import { failureFor, isFinal, isWaiting, runStatusFor } from './jobStates.js';
import { slurm } from './slurmCli.js';
import { msg, verbatim } from '../../shared/messages/message.js';
import { logger } from '../log/logger.js';

const log = logger('slurm');

export interface SlurmRunsOptions {
  /** How often squeue is asked about this engine's jobs (default 3 s). */
  pollMs?: number;
  /** Graceful signal → scancel after this long; overrides Settings → stopGraceSeconds (tests). */
  stopGraceMs?: number;
  metricsPollMs?: number;
  /** Replaces the trainer argv, as the supervisor's option does (tests). */
  commandFor?: (sub: 'train' | 'api', configPath: string, spec: LaunchSpec) => string[];
}

/** sbatch errors that say nothing about the job itself: the controller or the commands are unreachable right now. */
const TRANSIENT = /Unable to contact slurm controller|connect failure|Socket timed out|did not answer|not on PATH|could not start/i;

interface Following {
  follower: MetricsFollower;
  offset: number;
  lastEmit: number;
}

export class SlurmRuns implements ExternalRuns {
  readonly jobs;
  private following = new Map<string, Following>();
  private timer: NodeJS.Timeout | null = null;
  private tailTimer: NodeJS.Timeout | null = null;
  private polling: Promise<void> | null = null;
  /** Set by start(), cleared by shutdown(): nothing touches the store after the engine let go of it. */
  private started = false;

  constructor(
    private ctx: CoreContext,
    private sup: Supervisor,
    private opts: SlurmRunsOptions = {},
  ) {
    this.jobs = createSlurmJobsRepo(ctx.db);
  }

  owns(runId: string): boolean {
    return this.jobs.get(runId) !== null;
  }

  describe(runId: string): Partial<Run> | null {
    const j = this.jobs.get(runId);
    return j ? { slurm: publicJob(j) } : null;
  }

  /** The batch script a Slurm run was submitted with, as written (at most 256 KiB). */
  scriptOf(runId: string): { path: string; text: string } {
    const job = this.jobs.get(runId);
    if (!job) throw new RpcError('not_found', `Run ${runId} was not submitted to Slurm.`);
    try {
      return { path: job.scriptPath, text: readRegularFileSync(job.scriptPath, 256 * 1024).toString('utf8') };
    } catch (e) {
      throw new RpcError('not_found', e instanceof BoundedReadError ? `The job script: ${e.message}` : String(e));
    }
  }

  /** Writes the run folder and job script, submits it; an sbatch refusal settles the run as failed with Slurm's words. */
  async submit(spec: LaunchSpec, partition: string, request: SlurmRequest): Promise<Run> {
    const id = newId('run');
    const runDir = join(this.ctx.paths.runsDir, id);
    let prepared;
    try {
      const claimed = new Set(this.sup.repo.active().map((r) => r.outputDir).filter(Boolean));
      prepared = prepareConfig(spec, id, this.ctx.paths.outputsDir, claimed, ownResourceDirs(this.ctx));
    } catch (e) {
      throw new RpcError('bad_request', e instanceof Error ? e.message : String(e));
    }
    const busy = prepared.outputDir ? this.sup.repo.activeWithOutputDir(prepared.outputDir) : null;
    if (busy) throw new RpcError('conflict', `Run "${busy.name}" is already writing to ${prepared.outputDir}; two runs never share an output_dir.`);
    const configPath = writeRunDir(runDir, prepared.yaml);
    const sub = spec.kind === 'api' ? 'api' : 'train';
    let argv: string[];
    try {
      const argPath = argvConfigPath(configPath, spec.workDir, id);
      argv = this.opts.commandFor ? this.opts.commandFor(sub, argPath, spec) : (await trainerCommand(sub, argPath, this.ctx.settings(), this.ctx.env, this.ctx.resourcesDir)).argv;
    } catch (e) {
      throw new RpcError('unavailable', e instanceof Error ? e.message : String(e));
    }
    const taken = this.sup.repo.active().map((r) => r.masterPort).filter((p): p is number => p !== null);
    const masterPort = await freePort(taken);
    // The run's own variables as recorded; CUDA_VISIBLE_DEVICES is Slurm's to set, never ours.
    const { CUDA_VISIBLE_DEVICES: _cvd, PATH: _path, ...env } = runEnv({ spec, outputDir: prepared.outputDir, masterPort, hasDeepspeed: prepared.hasDeepspeed });
    const input: JobScriptInput = { runId: id, name: spec.name, partition, request, runDir, workDir: spec.workDir, outputDir: prepared.outputDir, argv, masterPort, hasDeepspeed: prepared.hasDeepspeed };
    writeFileSync(jobScriptPath(runDir), jobScript(input));
    chmodSync(jobScriptPath(runDir), 0o700);
    if (prepared.outputDir) mkdirSync(prepared.outputDir, { recursive: true });
    const now = Date.now();
    const run: StoredRun = {
      id, name: spec.name, kind: spec.kind, taskId: spec.taskId, sweepId: spec.sweepId, parentRunId: spec.parentRunId,
      status: 'starting', gpuIndices: [], gpuUuids: [], outputDir: prepared.outputDir, runDir, configPath, workDir: spec.workDir,
      argv, env, masterPort, pid: null, holderPid: null, exitCode: null, signal: null, failure: null, estimateMiB: spec.estimateMiB,
      peakMiB: null, progress: null, tags: [], notes: '', createdAt: now, startedAt: null, endedAt: null,
    };
    let jobId: string;
    try {
      // --parsable prints "<id>" or "<id>;<cluster>".
      jobId = (await slurm('sbatch', sbatchArgv(input), this.ctx.env)).trim().split(';')[0]!;
      if (!/^\d+$/.test(jobId)) throw new Error(`sbatch printed no job id (${jobId.slice(0, 200)})`);
    } catch (e) {
      const message = e instanceof Error ? e.message : String(e);
      // The controller is down or unreachable: nothing was submitted, so the item waits and is tried again (scheduler back-off).
      if (TRANSIENT.test(message)) {
        rmSync(runDir, { recursive: true, force: true });
        throw new RpcError('unavailable', `Slurm did not take the job: ${message}`);
      }
      Object.assign(run, { status: 'failed', endedAt: Date.now(), failure: { kind: 'config', message: msg('slurm.refused', { detail: verbatim(message) }), suggestion: msg('slurm.fix.refused') } } satisfies Partial<StoredRun>);
      this.sup.save(run);
      return this.sup.get(id)!;
    }
    this.jobs.save({ runId: id, jobId, partition, state: 'PENDING', reason: null, nodeList: '', request, scriptPath: jobScriptPath(runDir), requeues: 0, submittedAt: now, stopRequestedAt: null, cancelSentAt: null });
    this.sup.save(run);
    this.schedulePoll();
    return this.sup.get(id)!;
  }

  /** Restart / Resume: the old run's partition and request, again through sbatch. */
  relaunch(oldRunId: string, spec: LaunchSpec): Promise<Run> {
    const old = this.jobs.get(oldRunId);
    if (!old) throw new RpcError('not_found', `Run ${oldRunId} has no Slurm job.`);
    return this.submit(spec, old.partition, old.request);
  }

  /** Graceful signal (SIGABRT: LLaMA-Factory saves and stops) to the job's steps, then scancel after the grace (poll()). A pending job has nothing to save: scancel at once. */
  async stop(runId: string): Promise<Run> {
    const run = this.sup.repo.get(runId);
    const job = this.jobs.get(runId);
    if (!run || !job) throw new RpcError('not_found', `No Slurm run ${runId}.`);
    if (!['starting', 'running', 'stopping'].includes(run.status)) return this.sup.get(runId)!;
    if (job.stopRequestedAt === null) {
      const pending = isWaiting(job.state);
      try {
        await slurm('scancel', pending ? [job.jobId] : ['--signal=ABRT', job.jobId], this.ctx.env);
      } catch (e) {
        throw new RpcError('unavailable', `Could not stop Slurm job ${job.jobId}: ${e instanceof Error ? e.message : String(e)}`);
      }
      job.stopRequestedAt = Date.now();
      if (pending) job.cancelSentAt = job.stopRequestedAt;
      this.jobs.save(job);
    }
    run.status = 'stopping';
    this.sup.save(run);
    this.schedulePoll();
    return this.sup.get(runId)!;
  }

  private active(): { run: StoredRun; job: StoredSlurmJob }[] {
    return this.sup.repo
      .active()
      .map((run) => ({ run, job: this.jobs.get(run.id) }))
      .filter((x): x is { run: StoredRun; job: StoredSlurmJob } => x.job !== null);
  }

  /** One look at every active job: states from squeue, the end from scontrol or the script's exit file once squeue forgot it. */
  poll(): Promise<void> {
    if (!this.started) return Promise.resolve();
    this.polling ??= this.doPoll()
      .catch((e: unknown) => log.error('poll failed', e))
      .finally(() => (this.polling = null));
    return this.polling;
  }

  private async doPoll(): Promise<void> {
    const list = this.active();
    if (!list.length) return;
    let lines: Map<string, QueueLine>;
    try {
      lines = parseSqueue(await slurm('squeue', ['-h', '-t', 'all', `--jobs=${list.map((x) => x.job.jobId).join(',')}`, '-o', '%i|%T|%r|%N'], this.ctx.env));
    } catch (e) {
      // Every job unknown (purged) makes squeue fail: each is then looked up on its own below.
      if (!/Invalid job id/i.test(String(e))) {
        log.error('squeue failed', e instanceof Error ? e.message : e);
        return;
      }
      lines = new Map();
    }
    if (!this.started) return;
    const grace = this.opts.stopGraceMs ?? this.ctx.settings().stopGraceSeconds * 1000;
    for (const { run: before } of list) {
      if (!this.started) return;
      // Read again: a Stop may have been recorded while squeue answered (its stopRequestedAt must not be overwritten).
      const run = this.sup.repo.get(before.id);
      const job = this.jobs.get(before.id);
      if (!run || !job || !['starting', 'running', 'stopping'].includes(run.status)) continue;
      const line = lines.get(job.jobId) ?? (await this.forgotten(run, job));
      if (!line || !this.started) continue;
      await this.apply(run, job, line);
      if (job.stopRequestedAt !== null && job.cancelSentAt === null && Date.now() - job.stopRequestedAt >= grace && !isFinal(line.state)) {
        await slurm('scancel', [job.jobId], this.ctx.env).catch((e: unknown) => log.error(`scancel ${job.jobId} failed`, e));
        job.cancelSentAt = Date.now();
        this.jobs.save(job);
      }
    }
  }

  /** A job squeue no longer lists: scontrol may still know it; else the exit code the script wrote; else it is lost. */
  private async forgotten(run: StoredRun, job: StoredSlurmJob): Promise<QueueLine | null> {
    try {
      const text = await slurm('scontrol', ['show', 'job', '-o', job.jobId], this.ctx.env);
      const state = /\bJobState=(\S+)/.exec(text)?.[1];
      if (state) return { state, reason: /\bReason=(\S+)/.exec(text)?.[1] ?? null, nodeList: /\bNodeList=(\S+)/.exec(text)?.[1] ?? job.nodeList };
    } catch {
      /* purged from slurmctld too */
    }
    const exit = readExitFile(run.runDir);
    if (exit) return { state: exit.exitCode === 0 ? 'COMPLETED' : 'FAILED', reason: null, nodeList: job.nodeList };
    Object.assign(run, {
      status: 'lost',
      endedAt: Date.now(),
      failure: { kind: 'unknown', message: msg('slurm.forgotten', { job: job.jobId }), suggestion: msg('slurm.fix.forgotten') },
    } satisfies Partial<StoredRun>);
    this.unfollow(run.id, true);
    this.sup.save(run);
    return null;
  }

  private async apply(run: StoredRun, job: StoredSlurmJob, line: QueueLine): Promise<void> {
    const prev = job.state;
    const requeued = (prev === 'RUNNING' || prev === 'PREEMPTED' || prev === 'NODE_FAIL') && isWaiting(line.state);
    if (prev !== line.state || job.reason !== line.reason || job.nodeList !== line.nodeList || requeued) {
      Object.assign(job, { state: line.state, reason: line.reason, nodeList: line.nodeList, requeues: job.requeues + (requeued ? 1 : 0) });
      this.jobs.save(job);
    }
    const stopping = job.stopRequestedAt !== null;
    const status = runStatusFor(line.state, stopping);
    if (!isFinal(line.state)) {
      if (!isWaiting(line.state)) {
        run.startedAt ??= Date.now();
        this.follow(run);
      }
      if (run.status !== status || prev !== line.state || requeued) {
        run.status = status;
        this.sup.save(run);
      }
      return;
    }
    // The end: the last bytes and metrics first, then the verdict.
    const nanLoss = this.unfollow(run.id, true, run);
    const exit = readExitFile(run.runDir);
    run.exitCode = exit?.exitCode ?? (line.state === 'COMPLETED' ? 0 : await exitCodeOf(job.jobId, this.ctx.env));
    run.status = status;
    run.endedAt = exit?.endedAt ?? Date.now();
    if (status === 'failed') run.failure = line.state === 'FAILED' ? this.failureOfLog(run, job, nanLoss) : failureFor(line.state, job.jobId, line.reason, run.exitCode);
    this.sup.save(run);
  }

  /** A FAILED job's trainer said why in its console log (the same classifier as local runs); else Slurm's state says. */
  private failureOfLog(run: StoredRun, job: StoredSlurmJob, nanLoss: boolean) {
    const file = consolePathOf(run.runDir);
    const size = fileSize(file);
    const tail = readRange(file, Math.max(0, size - 64 * 1024), size).toString('utf8');
    const f = classifyFailure({ tail, exitCode: run.exitCode, signal: null, nanLoss });
    return f.kind === 'unknown' && !tail.trim() ? failureFor(job.state, job.jobId, job.reason, run.exitCode) : f;
  }

  /** Live console bytes to the terminal hub and metrics from trainer_log.jsonl / the console, as for local runs. */
  private follow(run: StoredRun): void {
    if (this.following.has(run.id)) return;
    const follower = new MetricsFollower({
      runId: run.id,
      outputDir: run.outputDir || null,
      consolePath: consolePathOf(run.runDir),
      repo: this.sup.metrics,
      pollMs: this.opts.metricsPollMs,
      onPoints: (points, reset) => this.ctx.bus.emit('runs.metrics', { runId: run.id, points, ...(reset ? { reset } : {}) }),
      onProgress: (p) => {
        const latest = this.sup.repo.get(run.id);
        const f = this.following.get(run.id);
        if (!latest || !f) return;
        latest.progress = p;
        // Cards need the latest progress only: about twice a second per run, as for local runs.
        if (Date.now() - f.lastEmit >= 500) {
          f.lastEmit = Date.now();
          this.sup.save(latest);
        } else this.sup.repo.save(latest);
      },
    });
    // A new viewer gets the file's tail as its screen; the hub gets only what arrives after this point.
    this.following.set(run.id, { follower, offset: fileSize(consolePathOf(run.runDir)), lastEmit: 0 });
    follower.start();
  }

  /** Stops following; `final` reads what is left first. Returns whether the trainer logged a NaN loss. */
  private unfollow(runId: string, final: boolean, run?: StoredRun): boolean {
    const f = this.following.get(runId);
    let nanLoss = false;
    if (f) {
      if (final) {
        this.tailOne(runId, f);
        f.follower.poll();
      }
      f.follower.stop();
      nanLoss = f.follower.nanLoss;
      this.following.delete(runId);
      this.sup.hub.resetRun(runId);
    } else if (final && run) {
      // Never followed (ended between two polls): one pass over its files.
      const once = new MetricsFollower({ runId, outputDir: run.outputDir || null, consolePath: consolePathOf(run.runDir), repo: this.sup.metrics, onPoints: () => undefined, onProgress: (p) => (run.progress = p) });
      once.poll();
      nanLoss = once.nanLoss;
    }
    if (run) run.progress = this.sup.repo.get(runId)?.progress ?? run.progress;
    return nanLoss;
  }

  private tailOne(runId: string, f: Following): void {
    const run = this.sup.repo.get(runId);
    if (!run) return;
    const file = consolePathOf(run.runDir);
    const size = fileSize(file);
    if (size <= f.offset) return;
    const end = Math.min(size, f.offset + 1024 * 1024);
    this.sup.hub.push(runId, readRange(file, f.offset, end));
    f.offset = end;
  }

  private schedulePoll(): void {
    setTimeout(() => void this.poll(), 50).unref?.();
  }

  start(): void {
    this.started = true;
    // Adopt: every job of an active run is looked up again; running ones are followed from their files.
    this.timer = setInterval(() => void this.poll(), this.opts.pollMs ?? 3000);
    this.tailTimer = setInterval(() => {
      for (const [id, f] of this.following) this.tailOne(id, f);
    }, 200);
    this.schedulePoll();
  }

  /** Lets go of the jobs (they keep running in Slurm); resolves once a poll under way has finished. */
  async shutdown(): Promise<void> {
    this.started = false;
    if (this.timer) clearInterval(this.timer);
    if (this.tailTimer) clearInterval(this.tailTimer);
    this.timer = this.tailTimer = null;
    for (const id of [...this.following.keys()]) this.unfollow(id, false);
    await this.polling;
  }
}
