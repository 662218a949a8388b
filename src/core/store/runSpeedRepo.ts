/** Stored speed records of runs (table `run_speed`): the scheduler's recorder writes them, its speed model reads a task's or a model's history. */
import type { Db } from './db.js';

/** One run's measured start-up and throughput, as the recorder accumulates it. */
export interface SpeedRecord {
  runId: string;
  taskId: string | null;
  model: string | null;
  finetuningType: string | null;
  gpuName: string | null;
  gpuCount: number;
  startedAt: number | null;
  /** Seconds from launch to the first training step (model load). */
  startupS: number | null;
  endedAt: number | null;
  /** 'running' while it runs, then the run's final status. */
  status: string;
  totalSteps: number | null;
  stepsDone: number;
  /** Seconds from the first step to the end (only for a run that ended). */
  trainS: number | null;
  soloSteps: number;
  soloS: number;
  sharedSteps: number;
  sharedS: number;
  /** Σ processes computing on its cards × seconds, over the shared stretches. */
  sharedRunsS: number;
  /** Sum and count of its card's utilisation (0–1) while it trained alone. */
  utilSum: number;
  utilN: number;
}

/** A record with nothing measured yet. */
export function newSpeedRecord(p: Pick<SpeedRecord, 'runId'> & Partial<SpeedRecord>): SpeedRecord {
  return {
    taskId: null,
    model: null,
    finetuningType: null,
    gpuName: null,
    gpuCount: 1,
    startedAt: null,
    startupS: null,
    endedAt: null,
    status: 'running',
    totalSteps: null,
    stepsDone: 0,
    trainS: null,
    soloSteps: 0,
    soloS: 0,
    sharedSteps: 0,
    sharedS: 0,
    sharedRunsS: 0,
    utilSum: 0,
    utilN: 0,
    ...p,
  };
}

interface Row {
  run_id: string;
  task_id: string | null;
  model: string | null;
  finetuning_type: string | null;
  gpu_name: string | null;
  gpu_count: number;
  started_at: number | null;
  startup_s: number | null;
  ended_at: number | null;
  status: string;
  total_steps: number | null;
  steps_done: number;
  train_s: number | null;
  solo_steps: number;
  solo_s: number;
  shared_steps: number;
  shared_s: number;
  shared_runs_s: number;
  util_sum: number;
  util_n: number;
}

const fromRow = (r: Row): SpeedRecord => ({
  runId: r.run_id,
  taskId: r.task_id,
  model: r.model,
  finetuningType: r.finetuning_type,
  gpuName: r.gpu_name,
  gpuCount: r.gpu_count,
  startedAt: r.started_at,
  startupS: r.startup_s,
  endedAt: r.ended_at,
  status: r.status,
  totalSteps: r.total_steps,
  stepsDone: r.steps_done,
  trainS: r.train_s,
  soloSteps: r.solo_steps,
  soloS: r.solo_s,
  sharedSteps: r.shared_steps,
  sharedS: r.shared_s,
  sharedRunsS: r.shared_runs_s,
  utilSum: r.util_sum,
  utilN: r.util_n,
});

/** How many past runs a question reads (the newest): enough for a median, few enough to stay cheap on every plan. */
const HISTORY = 20;

export function createRunSpeedRepo(db: Db) {
  const upsert = db.prepare(
    `INSERT INTO run_speed (run_id, task_id, model, finetuning_type, gpu_name, gpu_count, started_at, startup_s, ended_at, status,
       total_steps, steps_done, train_s, solo_steps, solo_s, shared_steps, shared_s, shared_runs_s, util_sum, util_n, updated_at)
     VALUES (?, ?, ?, ?, ?, ?, ?, ?, ?, ?, ?, ?, ?, ?, ?, ?, ?, ?, ?, ?, ?)
     ON CONFLICT (run_id) DO UPDATE SET task_id = excluded.task_id, model = excluded.model, finetuning_type = excluded.finetuning_type,
       gpu_name = excluded.gpu_name, gpu_count = excluded.gpu_count, started_at = excluded.started_at, startup_s = excluded.startup_s,
       ended_at = excluded.ended_at, status = excluded.status, total_steps = excluded.total_steps, steps_done = excluded.steps_done,
       train_s = excluded.train_s, solo_steps = excluded.solo_steps, solo_s = excluded.solo_s, shared_steps = excluded.shared_steps,
       shared_s = excluded.shared_s, shared_runs_s = excluded.shared_runs_s, util_sum = excluded.util_sum, util_n = excluded.util_n,
       updated_at = excluded.updated_at`,
  );
  const get = db.prepare<Row>('SELECT * FROM run_speed WHERE run_id = ?');
  const byTask = db.prepare<Row>(`SELECT * FROM run_speed WHERE task_id = ? AND run_id != ? ORDER BY updated_at DESC LIMIT ${HISTORY}`);
  const byModel = db.prepare<Row>(
    `SELECT * FROM run_speed WHERE model = ? AND finetuning_type = ? AND run_id != ? ORDER BY updated_at DESC LIMIT ${HISTORY}`,
  );
  return {
    save(r: SpeedRecord, now = Date.now()): void {
      upsert.run(r.runId, r.taskId, r.model, r.finetuningType, r.gpuName, r.gpuCount, r.startedAt, r.startupS, r.endedAt, r.status,
        r.totalSteps, r.stepsDone, r.trainS, r.soloSteps, r.soloS, r.sharedSteps, r.sharedS, r.sharedRunsS, r.utilSum, r.utilN, now);
    },
    get(runId: string): SpeedRecord | null {
      const row = get.get(runId);
      return row ? fromRow(row) : null;
    },
    /** The newest records of the same task, then of the same model + finetuning type (other tasks), leaving out one run (the one asking). */
    history(taskId: string | null, model: string | null, finetuningType: string | null, exceptRunId = ''): { task: SpeedRecord[]; model: SpeedRecord[] } {
      const task = taskId ? byTask.all(taskId, exceptRunId).map(fromRow) : [];
      const same = model && finetuningType ? byModel.all(model, finetuningType, exceptRunId).map(fromRow).filter((r) => r.taskId !== taskId) : [];
      return { task, model: same };
    },
  };
}

export type RunSpeedRepo = ReturnType<typeof createRunSpeedRepo>;
