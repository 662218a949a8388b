/** Adoption: re-attach to a run the store thinks is active (after launch, an engine restart or a dropped link), or settle it from its files. */
import { msg } from '../../shared/messages/message.js';
import type { FailureReason } from '../../shared/types/run.js';
import type { StoredRun } from '../store/runsRepo.js';
import { holderPidMatches, holderProcessMatches, readExitInfo, readHolderInfo } from './holderProcess.js';
import { attach, dropLive } from './liveRuns.js';
import { finish, settleLost } from './runEnd.js';
import { isActive, sleep, type SupervisorState } from './supervisorState.js';
import { logger } from '../log/logger.js';

const log = logger('runs');

/**
 * Run-end and re-adoption are started from socket events and timers, where nobody awaits them: a rejection there
 * (an SQLITE_FULL on a full disk, say) must be logged, not left unhandled — that would end the engine.
 */
function background(what: string, id: string, p: Promise<void>): void {
  p.catch((e: unknown) => log.error(`${what} of run ${id} failed`, e));
}

/** Re-attach to a run the store thinks is active, or settle it from its files. */
export async function adopt(s: SupervisorState, run: StoredRun): Promise<void> {
  // Already attached (a retry and a launch, or a stop, raced here): a second link would leak the first one.
  if (s.live.has(run.id)) return;
  const info = readHolderInfo(run.runDir);
  if (info && holderProcessMatches(info, run.runDir)) {
    try {
      await attach(s, run, info.socketPath, info.trainerPid, {
        exit: (exit) => background('finishing', run.id, finish(s, run.id, exit)),
        closed: () => background('re-adopting', run.id, onClosed(s, run.id)),
      });
      return;
    } catch {
      // The holder is alive but did not answer: it may be exiting right now; the files decide below.
      await sleep(200);
    }
  }
  const exit = readExitInfo(run.runDir);
  if (exit) return finish(s, run.id, exit);
  // Alive but did not answer in time (a loaded machine), or still coming up (no holder.json yet: a stop or an engine
  // restart while the run is 'starting'): keep it active and try again shortly, never call it lost. The pid recorded
  // at spawn is checked against /proc/<pid>/cmdline, so a reused pid does not keep a dead run active.
  if ((info && holderProcessMatches(info, run.runDir)) || holderPidMatches(run.holderPid, run.runDir)) {
    const t = setTimeout(() => {
      s.retries.delete(t);
      const latest = s.repo.get(run.id);
      if (latest && isActive(latest) && !s.live.has(run.id)) background('re-adopting', run.id, adopt(s, latest));
    }, 1000);
    s.retries.add(t);
    return;
  }
  const failure: FailureReason = {
    kind: 'unknown',
    message: info ? msg('failure.holderGone') : msg('failure.holderNeverUp'),
    suggestion: msg('failure.fix.restart'),
  };
  settleLost(s, run.id, failure);
}

/**
 * The link closed without an exit frame. It lives here, not in runEnd.ts, because when no exit status turns up
 * the answer is to adopt the run again.
 */
async function onClosed(s: SupervisorState, id: string): Promise<void> {
  const l = s.live.get(id);
  if (!l || l.ending) return;
  // The holder writes exit.json before it closes; give the rename a moment to land.
  for (let i = 0; i < 20; i++) {
    const exit = readExitInfo(s.repo.get(id)?.runDir ?? '');
    if (exit) return finish(s, id, exit);
    await sleep(50);
  }
  const run = s.repo.get(id);
  if (!run) return;
  dropLive(s, id);
  await adopt(s, run);
}
