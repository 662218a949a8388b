/** The planner's inputs about jobs: each queued task's expected profile and each running run's, from the speed model over recorded history. */
import type { Run } from '../../shared/types/run.js';
import type { Task } from '../../shared/types/task.js';
import { parseConfig } from '../configs/parseConfig.js';
import type { PlanRunning } from './capacity.js';
import { defaultStartupS } from './profile.js';
import { profileFromHistory, runningProfile, type JobProfile } from './speedModel.js';
import type { SpeedRecorder } from './speedRecorder.js';

/** History changes only when a run ends or a minute passes; a plan runs every second. */
const CACHE_MS = 30_000;

/** Model and finetuning type of a config, the way runs are grouped for the speed model (and for memory calibration). */
export function configSignature(yaml: string): { model: string; finetuningType: string } | null {
  const d = parseConfig(yaml).data;
  if (typeof d.model_name_or_path !== 'string') return null;
  return { model: d.model_name_or_path.trim().replace(/[\\/]+$/, ''), finetuningType: typeof d.finetuning_type === 'string' ? d.finetuning_type : 'lora' };
}

export function createProfiles(recorder: Pick<SpeedRecorder, 'history' | 'live'>) {
  const cache = new Map<string, { at: number; updatedAt: number; profile: JobProfile }>();

  /** Expected profile of a new run of this task (cached per task version). */
  function forTask(task: Pick<Task, 'id' | 'yaml' | 'updatedAt'>, now = Date.now()): JobProfile {
    const c = cache.get(task.id);
    if (c && c.updatedAt === task.updatedAt && now - c.at < CACHE_MS) return c.profile;
    const sig = configSignature(task.yaml);
    const profile = profileFromHistory(recorder.history(task.id, sig?.model ?? null, sig?.finetuningType ?? null));
    cache.set(task.id, { at: now, updatedAt: task.updatedAt, profile });
    return profile;
  }

  return {
    forTask,
    /** A running run as the planner sees it: its expected profile (by its task) with what its own progress says is left. */
    forRun(run: Run, task: Pick<Task, 'id' | 'yaml' | 'updatedAt'> | null, base: PlanRunning, now = Date.now()): PlanRunning {
      const expected = task ? forTask(task, now) : { workS: null, basis: 'none' as const, runs: 0 };
      const p = runningProfile(run, expected, recorder.live(run.id), now, defaultStartupS(base.needMiB));
      return { ...base, ...(p.util !== undefined ? { util: p.util } : {}), workLeftS: p.workLeftS, startupLeftS: p.startupLeftS };
    },
  };
}

export type Profiles = ReturnType<typeof createProfiles>;
