/** Runs the engine is attached to: opening a holder link, following metrics, emitting progress, delivering a stop, letting go. */
import { existsSync, linkSync, unlinkSync, writeFileSync } from 'node:fs';
import { join } from 'node:path';
import type { MetricPoint, RunProgress } from '../../shared/types/run.js';
import { MetricsFollower } from '../metrics/follower.js';
import type { StoredRun } from '../store/runsRepo.js';
import { type AttachEvents, HolderLink } from './attach.js';
import { readJson, runFiles } from './holderProcess.js';
import { escalate, listProcs, processesOfRun, type StopPlan } from './procTree.js';
import type { Live, SupervisorState } from './supervisorState.js';
import { logger } from '../log/logger.js';

const log = logger('runs');

/**
 * Attach to a running holder and mark the run running. The caller supplies what an exit or a close means
 * (adopt.ts wires them to run end and re-adoption), which keeps this file free of those decisions.
 */
export async function attach(
  s: SupervisorState,
  run: StoredRun,
  socketPath: string,
  trainerPid: number,
  events: Pick<AttachEvents, 'exit' | 'closed'>,
): Promise<void> {
  const l: Live = { link: null, trainerPid, legacy: !holderRunsStops(run.runDir), follower: null, escalation: null, lastChangeEmit: 0, changeTimer: null, ending: false };
  s.live.set(run.id, l);
  try {
    l.link = await HolderLink.open(run.runDir, socketPath, {
      bytes: (chunk) => s.hub.push(run.id, chunk),
      exit: (exit) => events.exit(exit),
      closed: () => events.closed(),
    });
  } catch (e) {
    s.live.delete(run.id);
    throw e;
  }
  // The run may have ended (an exit frame right behind the hello: finish → dropLive) or been let go (shutdown) while
  // the link opened: this entry is no longer the run's, so start nothing on it — a follower here would never stop.
  if (s.live.get(run.id) !== l) {
    l.link.close();
    return;
  }
  const current = s.repo.get(run.id)!;
  if (current.status === 'starting') {
    Object.assign(current, { status: 'running', pid: trainerPid, startedAt: current.startedAt ?? Date.now() });
    s.repo.save(current);
    s.changed(current);
  } else if (current.status === 'stopping' && current.pid === null) {
    // Stopped while still starting: record the trainer all the same, then deliver the stop below.
    Object.assign(current, { pid: trainerPid, startedAt: current.startedAt ?? Date.now() });
    s.repo.save(current);
    s.changed(current);
  }
  if (current.kind !== 'api') l.follower = follow(s, current);
  // Stopping (asked before the link was up, or before an engine restart): make sure the holder has the request.
  if (current.status === 'stopping') deliverStop(s, current, l);
}

function follow(s: SupervisorState, run: StoredRun): MetricsFollower {
  const f = new MetricsFollower({
    runId: run.id,
    outputDir: run.outputDir || null,
    consolePath: runFiles(run.runDir).console,
    repo: s.metrics,
    pollMs: s.opts.metricsPollMs,
    onPoints: (points: MetricPoint[], reset: boolean) => s.ctx.bus.emit('runs.metrics', { runId: run.id, points, ...(reset ? { reset } : {}) }),
    onProgress: (p: RunProgress) => progress(s, run.id, p),
  });
  f.start();
  return f;
}

function progress(s: SupervisorState, id: string, p: RunProgress): void {
  const run = s.repo.get(id);
  const l = s.live.get(id);
  if (!run || !l) return;
  run.progress = p;
  s.repo.save(run);
  // Throttle to ~2/s per run: charts get every point via runs.metrics; cards only need the latest progress.
  const wait = 500 - (Date.now() - l.lastChangeEmit);
  if (wait <= 0) {
    l.lastChangeEmit = Date.now();
    s.changed(run);
  } else if (!l.changeTimer) {
    l.changeTimer = setTimeout(() => {
      l.changeTimer = null;
      l.lastChangeEmit = Date.now();
      const latest = s.repo.get(id);
      if (latest) s.changed(latest);
    }, wait);
  }
}

/** Let go of a run: its timers, follower and holder link; the trainer itself is untouched. */
export function dropLive(s: SupervisorState, id: string): Live | undefined {
  const l = s.live.get(id);
  if (!l) return undefined;
  s.live.delete(id);
  l.escalation?.cancel();
  if (l.changeTimer) clearTimeout(l.changeTimer);
  l.follower?.stop();
  l.link?.close();
  s.hub.resetRun(id);
  return l;
}

/** After the grace: SIGTERM, then SIGKILL this much later (torchrun's own shutdown waits 30 s for its workers). */
const KILL_AFTER_MS = 10_000;
/** An inference server has nothing to save: uvicorn finishes open requests on SIGINT, so a short grace is enough. */
const API_GRACE_MS = 15_000;

/**
 * How a run is stopped. Training: SIGABRT, the signal LLaMA-Factory's LogCallback handles when LLAMABOARD_ENABLED is
 * set (train/callbacks.py:189-197: it sets `aborted`, the trainer stops at the step's end and saves, :249-259) — the
 * signal LlamaBoard's Abort sends (webui/runner.py:76-79 → webui/common.py:46-54). torchrun does not handle SIGABRT
 * and dies at once (torch 2.13 distributed/elastic/multiprocessing/api.py:538-546 registers SIGTERM, SIGINT, SIGHUP,
 * SIGQUIT only), so the stop must reach the workers themselves. Inference servers (`llamafactory-cli api` runs
 * uvicorn, api/app.py:133): SIGINT, uvicorn's graceful shutdown (uvicorn 0.54 server.py:45 HANDLED_SIGNALS).
 */
export function stopPlan(s: SupervisorState, run: Pick<StoredRun, 'kind'>): StopPlan {
  const grace = s.opts.stopGraceMs ?? s.ctx.settings().stopGraceSeconds * 1000;
  const killAfterMs = s.opts.killAfterMs ?? KILL_AFTER_MS;
  if (run.kind === 'api') return { signal: 'SIGINT', graceMs: Math.min(grace, API_GRACE_MS), killAfterMs };
  return { signal: 'SIGABRT', graceMs: grace, killAfterMs };
}

/** holder.json of a holder that finds the run's processes by the marker and carries out stop.json itself. */
function holderRunsStops(runDir: string): boolean {
  const features = readJson<{ features?: unknown }>(runFiles(runDir).holder)?.features;
  return Array.isArray(features) && features.includes('stop-file');
}

/**
 * Writes `<runDir>/stop.json` (the plan and when it was asked) unless one is there: the holder polls for it and runs
 * the whole stop, so it goes on while no engine runs, and a second Stop or an engine restart does not restart the
 * grace period. Created with link(2), which never replaces an existing file. False when it could not be written.
 */
export function requestStop(s: SupervisorState, run: StoredRun): boolean {
  const file = join(run.runDir, 'stop.json');
  if (existsSync(file)) return true;
  const tmp = `${file}.tmp-${process.pid}`;
  try {
    writeFileSync(tmp, JSON.stringify({ ...stopPlan(s, run), requestedAt: Date.now() }) + '\n', { mode: 0o600 });
    try {
      linkSync(tmp, file);
    } catch (e) {
      if ((e as NodeJS.ErrnoException).code !== 'EEXIST') throw e;
    } finally {
      unlinkSync(tmp);
    }
    return true;
  } catch (e) {
    log.error(`could not write the stop request of run ${run.id}`, e);
    return false;
  }
}

/**
 * Stop an attached run: through stop.json, or — a holder from before it, or a disk too full for the file — by the
 * engine itself: the plan's signal to every process of the run (children first), SIGTERM after the grace, SIGKILL
 * after that, until the holder reports the end (dropLive cancels it).
 */
export function deliverStop(s: SupervisorState, run: StoredRun, l: Live): void {
  if (requestStop(s, run) && !l.legacy) return;
  if (l.escalation) return;
  const trainer = { pid: l.trainerPid || null, legacy: true };
  l.escalation = escalate(() => processesOfRun(run.id, listProcs(), trainer), stopPlan(s, run), () => undefined);
}
