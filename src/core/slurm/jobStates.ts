/** What a Slurm job state means for its run: the run status, and why it failed (Slurm's own states, sacct/squeue %T). */
import type { FailureReason, RunStatus } from '../../shared/types/run.js';
import type { SlurmJobState } from '../../shared/types/slurm.js';
import { msg, verbatim, type MessageCode } from '../../shared/messages/message.js';

/** States in which the job still waits or runs; everything else is final. PREEMPTED with --requeue goes back to PENDING. */
const WAITING = new Set(['PENDING', 'CONFIGURING', 'REQUEUED', 'REQUEUE_FED', 'REQUEUE_HOLD', 'RESV_DEL_HOLD', 'SUSPENDED', 'PREEMPTED', 'RESIZING', 'SIGNALING', 'STAGE_OUT']);
const RUNNING = new Set(['RUNNING', 'COMPLETING']);

export const isWaiting = (s: SlurmJobState) => WAITING.has(s);
export const isFinal = (s: SlurmJobState) => !WAITING.has(s) && !RUNNING.has(s);

/** The run status for a job state; `stopping` stays while Stop is under way, and a cancel we asked for is `stopped`. */
export function runStatusFor(state: SlurmJobState, stopping: boolean): RunStatus {
  if (!isFinal(state)) return stopping ? 'stopping' : isWaiting(state) ? 'starting' : 'running';
  if (stopping) return 'stopped';
  return state === 'COMPLETED' ? 'finished' : 'failed';
}

/** Why a job that ended on its own did not finish, in Slurm's terms and what to change. */
export function failureFor(state: SlurmJobState, jobId: string, reason: string | null, exitCode: number | null): FailureReason {
  // Slurm's own words (a reason code, a state) stay as Slurm wrote them; the sentence around them is the user's language.
  const r = reason && reason !== 'None' ? msg('slurm.reason', { reason }) : verbatim('');
  const said = (kind: FailureReason['kind'], what: MessageCode, fix: MessageCode): FailureReason => ({ kind, message: msg(what, { job: jobId, reason: r }), suggestion: msg(fix) });
  switch (state) {
    case 'OUT_OF_MEMORY':
      return said('oom', 'slurm.oom', 'slurm.fix.oom');
    case 'TIMEOUT':
      return said('signal', 'slurm.timeout', 'slurm.fix.timeout');
    case 'NODE_FAIL':
    case 'BOOT_FAIL':
      return said('unknown', 'slurm.nodeFail', 'slurm.fix.nodeFail');
    case 'CANCELLED':
      return said('signal', 'slurm.cancelled', 'slurm.fix.cancelled');
    case 'DEADLINE':
      return said('signal', 'slurm.deadline', 'slurm.fix.deadline');
    default:
      return {
        kind: 'unknown',
        message: msg('slurm.ended', { job: jobId, state, exit: exitCode !== null ? msg('slurm.exitCode', { code: exitCode }) : verbatim(''), reason: r }),
        suggestion: msg('slurm.fix.ended'),
      };
  }
}
