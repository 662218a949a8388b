/** What other domains (scheduler, inference, compare) may ask of the run supervisor. */
import type { Run, RunKind } from '../../shared/types/run.js';

export interface LaunchSpec {
  name: string;
  kind: RunKind;
  taskId: string | null;
  sweepId: string | null;
  parentRunId: string | null;
  /** The config as text; the supervisor sets output_dir (unless pinned below), writes the copy it runs, and keeps it. */
  configYaml: string;
  /** Working directory of the trainer: relative paths in the config resolve here. */
  workDir: string;
  gpuIndices: number[];
  gpuUuids: string[];
  estimateMiB: number | null;
  /** Use exactly this output_dir (resume, an evaluation folder, the scheduler's planned folder) instead of choosing one. */
  outputDir?: string;
  extraEnv?: Record<string, string>;
}

export interface RunSupervisor {
  launch(spec: LaunchSpec): Promise<Run>;
  /** Graceful stop of every process of the run (SIGABRT for training, SIGINT for servers), TERM after the grace period, then KILL; the run ends when its last process is gone (docs/RUNS.md). */
  stop(id: string): Promise<Run>;
  get(id: string): Run | null;
  list(): Run[];
  active(): Run[];
  onChange(listener: (run: Run) => void): () => void;
  /** The run that owns this pid (its trainer or any descendant), for GPU process attribution. */
  runIdForPid(pid: number): string | null;
}
