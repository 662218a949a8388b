/** How a run ends: the last metrics, its final status, why it failed, and the toast that tells the user. */
import { msg, verbatim } from '../../shared/messages/message.js';
import type { FailureReason } from '../../shared/types/run.js';
import { MetricsFollower } from '../metrics/follower.js';
import { toast } from '../services/systemDomain.js';
import type { StoredRun } from '../store/runsRepo.js';
import { classifyFailure } from './failure.js';
import { type ExitInfo, runFiles } from './holderProcess.js';
import { dropLive, stopPlan } from './liveRuns.js';
import { fileSize, readRange } from './logFile.js';
import { escalate, processesOfRun } from './procTree.js';
import { isActive, type SupervisorState } from './supervisorState.js';
import { logger } from '../log/logger.js';

const log = logger('runs');

/** One poll of a run's metrics files (no live follower): the points land in the store, the progress only on `run`. */
export function catchUpMetrics(s: SupervisorState, run: StoredRun): MetricsFollower | null {
  if (run.kind === 'api') return null;
  const f = new MetricsFollower({
    runId: run.id,
    outputDir: run.outputDir || null,
    consolePath: runFiles(run.runDir).console,
    repo: s.metrics,
    onPoints: (points, reset) => s.ctx.bus.emit('runs.metrics', { runId: run.id, points, ...(reset ? { reset } : {}) }),
    onProgress: (p) => {
      run.progress = p;
    },
  });
  f.poll();
  return f;
}

/** Settle a run from its holder's exit status; only the first report counts (the exit frame and exit.json may both arrive). */
export async function finish(s: SupervisorState, id: string, exit: ExitInfo): Promise<void> {
  const l = s.live.get(id);
  if (l) {
    if (l.ending) return;
    l.ending = true;
  }
  const run = s.repo.get(id);
  if (!run) return;
  dropLive(s, id);
  if (!isActive(run)) return;
  // Everything the trainer wrote is on disk now: take the last metrics before judging the run.
  const follower = catchUpMetrics(s, run);
  const stopped = run.status === 'stopping';
  const ok = exit.exitCode === 0 && !exit.signal;
  run.status = stopped ? 'stopped' : ok ? 'finished' : 'failed';
  run.exitCode = exit.exitCode;
  run.signal = exit.signal;
  run.endedAt = exit.endedAt;
  if (run.status === 'failed') run.failure = failureOf(run, exit, follower?.nanLoss);
  s.repo.save(run);
  s.changed(run);
  announce(s, run);
}

/**
 * The holder is gone and left no exit status. Nothing else will stop what it ran — a trainer that ignores SIGHUP, a
 * worker that left the session with setsid — so the run's marker finds its processes and they get the run's stop plan
 * (graceful signal: they may still save; SIGTERM; SIGKILL). Until the last one is gone the run stays 'stopping':
 * active, so the scheduler keeps counting the GPU memory they hold. Then it is 'lost'.
 */
export function settleLost(s: SupervisorState, id: string, failure: FailureReason): void {
  const run = s.repo.get(id);
  if (!run || !isActive(run) || s.live.has(id) || s.reapers.has(id)) return;
  const find = () => processesOfRun(id);
  const leftovers = find().length;
  if (leftovers === 0) return markLost(s, id, failure);
  Object.assign(run, { status: 'stopping', failure: { ...failure, note: msg('failure.note.stopping', { count: leftovers }) } } satisfies Partial<StoredRun>);
  s.repo.save(run);
  s.changed(run);
  const reaper = escalate(find, stopPlan(s, run), (left) => {
    s.reapers.delete(id);
    if (left.length) log.error(`run ${id}: processes ${left.join(', ')} did not end after SIGKILL; calling the run lost anyway.`);
    markLost(s, id, { ...failure, note: left.length ? msg('failure.note.notEnded', { pids: left.join(', ') }) : msg('failure.note.stopped') });
  });
  s.reapers.set(id, reaper);
}

function markLost(s: SupervisorState, id: string, failure: FailureReason): void {
  // Callers may hold an older copy of the run: settle the stored one, and never overwrite a run that already ended.
  const latest = s.repo.get(id);
  if (!latest || !isActive(latest) || s.live.has(id)) return;
  catchUpMetrics(s, latest);
  Object.assign(latest, { status: 'lost', failure, endedAt: Date.now() } satisfies Partial<StoredRun>);
  s.repo.save(latest);
  s.changed(latest);
}

/** A holder that could not start the trainer says why in exit.error; otherwise the console tail and exit status tell. */
function failureOf(run: StoredRun, exit: ExitInfo, nanLoss: boolean | undefined): FailureReason {
  const file = runFiles(run.runDir).console;
  const size = fileSize(file);
  const tail = readRange(file, Math.max(0, size - 64 * 1024), size).toString('utf8');
  return exit.error
    ? { kind: 'unknown', message: verbatim(exit.error), suggestion: msg('failure.fix.trainerPath') }
    : classifyFailure({ tail, exitCode: exit.exitCode, signal: exit.signal, nanLoss });
}

function announce(s: SupervisorState, run: StoredRun): void {
  const loss = run.progress?.lastLoss ?? null;
  if (run.status === 'finished') {
    toast(s.ctx, 'success', msg('toast.runFinished', { run: run.name }), loss != null ? msg('toast.runFinishedLoss', { loss }) : msg('toast.runFinishedBody'), run.id);
  } else if (run.status === 'failed') {
    const kind = run.failure?.kind ?? 'unknown';
    // The title says what kind of failure in the user's language; the body is the line that told us (the trainer's own words).
    toast(s.ctx, 'error', msg('toast.runFailed', { run: run.name, kind: msg(`failure.kind.${kind}`) }), run.failure?.message ?? verbatim(''), run.id);
  } else if (run.status === 'stopped') {
    toast(s.ctx, 'info', msg('toast.runStopped', { run: run.name }), msg('toast.runStoppedBody'), run.id);
  }
}
