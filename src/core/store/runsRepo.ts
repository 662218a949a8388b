/** The runs table: typed reads and writes of Run rows (JSON columns parsed here, nowhere else). */
import { ACTIVE_RUN_STATUSES } from '../../shared/domain/runState.js';
import { type FailureReason, type Run, type RunProgress, type RunStatus } from '../../shared/types/run.js';
import { asMessage } from '../../shared/messages/message.js';
import type { Db } from './db.js';

interface RunRow {
  id: string;
  name: string;
  kind: string;
  task_id: string | null;
  sweep_id: string | null;
  parent_run_id: string | null;
  status: string;
  gpu_indices: string;
  gpu_uuids: string;
  output_dir: string;
  run_dir: string;
  config_path: string;
  work_dir: string;
  argv: string;
  env: string;
  master_port: number | null;
  pid: number | null;
  holder_pid: number | null;
  exit_code: number | null;
  signal: string | null;
  failure: string | null;
  estimate_mib: number | null;
  peak_mib: number | null;
  progress: string | null;
  tags: string;
  notes: string;
  created_at: number;
  started_at: number | null;
  ended_at: number | null;
}

export interface StoredRun extends Run {
  holderPid: number | null;
}

const parse = <T>(s: string | null, fallback: T): T => {
  if (s == null) return fallback;
  try {
    return JSON.parse(s) as T;
  } catch {
    return fallback;
  }
};

function fromRow(r: RunRow): StoredRun {
  return {
    id: r.id,
    name: r.name,
    kind: r.kind as Run['kind'],
    taskId: r.task_id,
    sweepId: r.sweep_id,
    parentRunId: r.parent_run_id,
    status: r.status as RunStatus,
    gpuIndices: parse<number[]>(r.gpu_indices, []),
    gpuUuids: parse<string[]>(r.gpu_uuids, []),
    outputDir: r.output_dir,
    runDir: r.run_dir,
    configPath: r.config_path,
    workDir: r.work_dir,
    argv: parse<string[]>(r.argv, []),
    env: parse<Record<string, string>>(r.env, {}),
    masterPort: r.master_port,
    pid: r.pid,
    holderPid: r.holder_pid,
    exitCode: r.exit_code,
    signal: r.signal,
    failure: failureOf(parse<Record<string, unknown> | null>(r.failure, null)),
    estimateMiB: r.estimate_mib,
    peakMiB: r.peak_mib,
    progress: parse<RunProgress | null>(r.progress, null),
    tags: parse<string[]>(r.tags, []),
    notes: r.notes,
    createdAt: r.created_at,
    startedAt: r.started_at,
    endedAt: r.ended_at,
  };
}

const COLUMNS: [keyof RunRow, (r: StoredRun) => unknown][] = [
  ['id', (r) => r.id],
  ['name', (r) => r.name],
  ['kind', (r) => r.kind],
  ['task_id', (r) => r.taskId],
  ['sweep_id', (r) => r.sweepId],
  ['parent_run_id', (r) => r.parentRunId],
  ['status', (r) => r.status],
  ['gpu_indices', (r) => JSON.stringify(r.gpuIndices)],
  ['gpu_uuids', (r) => JSON.stringify(r.gpuUuids)],
  ['output_dir', (r) => r.outputDir],
  ['run_dir', (r) => r.runDir],
  ['config_path', (r) => r.configPath],
  ['work_dir', (r) => r.workDir],
  ['argv', (r) => JSON.stringify(r.argv)],
  ['env', (r) => JSON.stringify(r.env)],
  ['master_port', (r) => r.masterPort],
  ['pid', (r) => r.pid],
  ['holder_pid', (r) => r.holderPid],
  ['exit_code', (r) => r.exitCode],
  ['signal', (r) => r.signal],
  ['failure', (r) => (r.failure ? JSON.stringify(r.failure) : null)],
  ['estimate_mib', (r) => r.estimateMiB],
  ['peak_mib', (r) => r.peakMiB],
  ['progress', (r) => (r.progress ? JSON.stringify(r.progress) : null)],
  ['tags', (r) => JSON.stringify(r.tags)],
  ['notes', (r) => r.notes],
  ['created_at', (r) => r.createdAt],
  ['started_at', (r) => r.startedAt],
  ['ended_at', (r) => r.endedAt],
];

/** What estimate calibration reads of a finished run. */
export interface CalibrationRow {
  id: string;
  configPath: string;
  taskYaml: string | null;
  estimateMiB: number;
  peakMiB: number;
}

export function createRunsRepo(db: Db) {
  const names = COLUMNS.map(([c]) => c);
  const upsert = db.prepare(
    `INSERT INTO runs (${names.join(',')}) VALUES (${names.map(() => '?').join(',')})
     ON CONFLICT(id) DO UPDATE SET ${names
       .filter((n) => n !== 'id')
       .map((n) => `${n}=excluded.${n}`)
       .join(',')}`,
  );
  const raisePeak = db.prepare('UPDATE runs SET peak_mib = ? WHERE id = ? AND (peak_mib IS NULL OR peak_mib < ?)');
  const calibration = db.prepare<CalibrationRow>(
    `SELECT r.id, r.config_path AS configPath, t.yaml AS taskYaml, r.estimate_mib AS estimateMiB, r.peak_mib AS peakMiB FROM runs r LEFT JOIN tasks t ON t.id = r.task_id
     WHERE r.status = 'finished' AND r.estimate_mib > 0 AND r.peak_mib > 0 ORDER BY r.ended_at DESC LIMIT 500`,
  );
  const one = db.prepare<RunRow>('SELECT * FROM runs WHERE id = ?');
  const all = db.prepare<RunRow>('SELECT * FROM runs ORDER BY created_at DESC, id DESC');
  const q = ACTIVE_RUN_STATUSES.map(() => '?').join(',');
  const active = db.prepare<RunRow>(`SELECT * FROM runs WHERE status IN (${q}) ORDER BY created_at`);
  const activeAt = db.prepare<RunRow>(`SELECT * FROM runs WHERE output_dir = ? AND status IN (${q})`);

  return {
    /**
     * Raises a run's measured peak GPU memory, never lowers it: one conditional UPDATE, so the supervisor's own saves
     * (which re-read the row first) never race it.
     */
    raisePeak: (id: string, mib: number): void => void raisePeak.run(mib, id, mib),
    /** Finished runs with both an estimate and a measured peak (newest 500), with their task's YAML for runs whose copy is gone. */
    calibrationRows: (): CalibrationRow[] => calibration.all(),
    /** Insert or replace the whole row (the supervisor holds the run in memory and writes it back). */
    save: (run: StoredRun): void => void upsert.run(...COLUMNS.map(([, get]) => get(run))),
    get: (id: string): StoredRun | null => {
      const row = one.get(id);
      return row ? fromRow(row) : null;
    },
    list: (): StoredRun[] => all.all().map(fromRow),
    active: (): StoredRun[] => active.all(...ACTIVE_RUN_STATUSES).map(fromRow),
    activeWithOutputDir: (outputDir: string): StoredRun | null => {
      const row = activeAt.get(outputDir, ...ACTIVE_RUN_STATUSES);
      return row ? fromRow(row) : null;
    },
  };
}

export type RunsRepo = ReturnType<typeof createRunsRepo>;

/** A stored failure; versions before message codes kept English strings, read back as verbatim messages. */
function failureOf(f: Record<string, unknown> | null): FailureReason | null {
  if (!f) return null;
  return {
    kind: f.kind as FailureReason['kind'],
    message: asMessage(f.message),
    suggestion: asMessage(f.suggestion),
    ...(f.note ? { note: asMessage(f.note) } : {}),
  };
}
