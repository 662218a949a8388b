/** Runs the engine is attached to: opening a holder link, following metrics, emitting progress, escalating a stop, letting go. */
import type { MetricPoint, RunProgress } from '../../shared/types/run.js';
import { MetricsFollower } from '../metrics/follower.js';
import type { StoredRun } from '../store/runsRepo.js';
import { type AttachEvents, HolderLink } from './attach.js';
import { runFiles } from './holderProcess.js';
import { runProcesses, signalAll } from './procTree.js';
import type { Live, SupervisorState } from './supervisorState.js';

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
  const l: Live = { link: null, trainerPid, follower: null, timers: [], lastChangeEmit: 0, changeTimer: null, ending: false };
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
    s.changed(current, true);
  } else if (current.status === 'stopping' && current.pid === null) {
    // Stopped while still starting: record the trainer all the same, then deliver the stop below.
    Object.assign(current, { pid: trainerPid, startedAt: current.startedAt ?? Date.now() });
    s.repo.save(current);
    s.changed(current, false);
  }
  if (current.kind !== 'api') l.follower = follow(s, current);
  if (current.status === 'stopping') escalate(s, l);
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
    s.changed(run, false);
  } else if (!l.changeTimer) {
    l.changeTimer = setTimeout(() => {
      l.changeTimer = null;
      l.lastChangeEmit = Date.now();
      const latest = s.repo.get(id);
      if (latest) s.changed(latest, false);
    }, wait);
  }
}

/** Let go of a run: its timers, follower and holder link; the trainer itself is untouched. */
export function dropLive(s: SupervisorState, id: string): Live | undefined {
  const l = s.live.get(id);
  if (!l) return undefined;
  s.live.delete(id);
  for (const t of l.timers) clearTimeout(t);
  if (l.changeTimer) clearTimeout(l.changeTimer);
  l.follower?.stop();
  l.link?.close();
  s.hub.resetRun(id);
  return l;
}

/** SIGABRT to the tree (LLaMA-Factory saves and exits), then SIGTERM, then SIGKILL to every process of the session. */
export function escalate(s: SupervisorState, l: Live): void {
  for (const t of l.timers) clearTimeout(t);
  const pid = l.trainerPid;
  if (!pid) return;
  signalAll(runProcesses(pid), 'SIGABRT');
  const grace = s.opts.stopGraceMs ?? 60_000;
  const kill = s.opts.killAfterMs ?? 10_000;
  l.timers = [
    setTimeout(() => signalAll(runProcesses(pid), 'SIGTERM'), grace),
    setTimeout(() => signalAll(runProcesses(pid), 'SIGKILL'), grace + kill),
  ];
  for (const t of l.timers) t.unref();
}
