/** How a run ends: the last metrics, its final status, why it failed, and the toast that tells the user. */
import type { FailureReason } from '../../shared/types/run.js';
import { MetricsFollower } from '../metrics/follower.js';
import { toast } from '../services/systemDomain.js';
import type { StoredRun } from '../store/runsRepo.js';
import { classifyFailure } from './failure.js';
import { type ExitInfo, runFiles } from './holderProcess.js';
import { dropLive } from './liveRuns.js';
import { fileSize, readRange } from './logFile.js';
import { isActive, type SupervisorState } from './supervisorState.js';

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
  s.changed(run, true);
  announce(s, run);
}

/** A holder that could not start the trainer says why in exit.error; otherwise the console tail and exit status tell. */
function failureOf(run: StoredRun, exit: ExitInfo, nanLoss: boolean | undefined): FailureReason {
  const file = runFiles(run.runDir).console;
  const size = fileSize(file);
  const tail = readRange(file, Math.max(0, size - 64 * 1024), size).toString('utf8');
  return exit.error
    ? { kind: 'unknown', message: exit.error, suggestion: 'Check the trainer path in Settings → Trainer.' }
    : classifyFailure({ tail, exitCode: exit.exitCode, signal: exit.signal, nanLoss });
}

function announce(s: SupervisorState, run: StoredRun): void {
  const loss = run.progress?.lastLoss ?? null;
  if (run.status === 'finished') {
    toast(s.ctx, 'success', `${run.name} finished`, loss != null ? `Final loss ${loss}` : 'The run finished.', run.id, { kind: 'run.finished', run: run.name, loss });
  } else if (run.status === 'failed') {
    const f = run.failure;
    toast(s.ctx, 'error', `${run.name} failed`, `${f?.message ?? ''}\n${f?.suggestion ?? ''}`.trim(), run.id, {
      kind: 'run.failed',
      run: run.name,
      failureKind: f?.kind ?? 'unknown',
      message: f?.message ?? '',
    });
  } else if (run.status === 'stopped') {
    toast(s.ctx, 'info', `${run.name} stopped`, 'The run was stopped.', run.id, { kind: 'run.stopped', run: run.name });
  }
}
