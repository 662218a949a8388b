/** The slurm_jobs table: the Slurm job behind each Slurm run (typed reads and writes; JSON columns parsed here only). */
import type { SlurmJob, SlurmRequest } from '../../shared/types/slurm.js';
import type { Db } from './db.js';

interface Row {
  run_id: string;
  job_id: string;
  partition: string;
  state: string;
  reason: string | null;
  node_list: string;
  request: string;
  script_path: string;
  requeues: number;
  submitted_at: number;
  stop_requested_at: number | null;
  cancel_sent_at: number | null;
}

export interface StoredSlurmJob extends SlurmJob {
  runId: string;
  /** When Stop was asked (the graceful signal went out); the grace period counts from here, across engine restarts. */
  stopRequestedAt: number | null;
  /** When the final scancel (no signal) went out. */
  cancelSentAt: number | null;
}

const DEFAULT_REQUEST: SlurmRequest = { nodes: 1, gpusPerNode: 1, timeLimit: null, account: null, qos: null };

function fromRow(r: Row): StoredSlurmJob {
  let request = DEFAULT_REQUEST;
  try {
    request = { ...DEFAULT_REQUEST, ...(JSON.parse(r.request) as Partial<SlurmRequest>) };
  } catch {
    /* a damaged row keeps the defaults */
  }
  return {
    runId: r.run_id,
    jobId: r.job_id,
    partition: r.partition,
    state: r.state,
    reason: r.reason,
    nodeList: r.node_list,
    request,
    scriptPath: r.script_path,
    requeues: r.requeues,
    submittedAt: r.submitted_at,
    stopRequestedAt: r.stop_requested_at,
    cancelSentAt: r.cancel_sent_at,
  };
}

export function createSlurmJobsRepo(db: Db) {
  const one = db.prepare<Row>('SELECT * FROM slurm_jobs WHERE run_id = ?');
  const save = db.prepare(
    `INSERT INTO slurm_jobs (run_id, job_id, partition, state, reason, node_list, request, script_path, requeues, submitted_at, stop_requested_at, cancel_sent_at, updated_at)
     VALUES (@runId, @jobId, @partition, @state, @reason, @nodeList, @request, @scriptPath, @requeues, @submittedAt, @stopRequestedAt, @cancelSentAt, @updatedAt)
     ON CONFLICT(run_id) DO UPDATE SET job_id = excluded.job_id, state = excluded.state, reason = excluded.reason, node_list = excluded.node_list,
       requeues = excluded.requeues, stop_requested_at = excluded.stop_requested_at, cancel_sent_at = excluded.cancel_sent_at, updated_at = excluded.updated_at`,
  );
  return {
    get: (runId: string): StoredSlurmJob | null => {
      const r = one.get(runId);
      return r ? fromRow(r) : null;
    },
    save: (j: StoredSlurmJob) => void save.run({ ...j, request: JSON.stringify(j.request), updatedAt: Date.now() }),
  };
}

export type SlurmJobsRepo = ReturnType<typeof createSlurmJobsRepo>;

/** The public view of a stored job (what Run.slurm carries). */
export function publicJob(j: StoredSlurmJob): SlurmJob {
  const { runId: _r, stopRequestedAt: _s, cancelSentAt: _c, ...job } = j;
  return job;
}
