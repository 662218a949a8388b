/** What the run page shows beyond the run record: its exact config, output files and Slurm job script (cached per run, read by selectors), and the page's actions (export, open folder, TensorBoard, downloads). */
import { create } from 'zustand';
import type { RunFile, TensorBoardInfo } from '../../shared/contract/runs.js';
import type { Run } from '../../shared/types/run.js';
import { api } from '../api/client.js';
import { downloadFromEngine } from '../api/downloads.js';
import { errorMessage } from '../i18n/errorMessage.js';
import { useRuns } from './runs.js';
import { sharedByKey } from './shared.js';

/** A value loaded from the engine: null until the first answer; the error of the last failed load. */
export interface Loaded<T> {
  value: T | null;
  error: string | null;
}

interface RunDetailState {
  /** runs.config: the YAML a run was started with and where Trainyard keeps it (it never changes for a run). */
  config: Record<string, Loaded<{ yaml: string; path: string }>>;
  /** runs.files: the run's output folder (refreshed while a view watches a live run). */
  files: Record<string, Loaded<RunFile[]>>;
  /** slurm.jobScript: the script a Slurm run was submitted with. */
  jobScript: Record<string, Loaded<{ path: string; text: string }>>;
  loadConfig(runId: string): Promise<void>;
  loadFiles(runId: string): Promise<void>;
  loadJobScript(runId: string): Promise<void>;
}

type Slot = 'config' | 'files' | 'jobScript';

export const useRunDetail = create<RunDetailState>((set, get) => {
  const put = <S extends Slot>(slot: S, runId: string, patch: Partial<RunDetailState[S][string]>) =>
    set((s) => ({ [slot]: { ...s[slot], [runId]: { ...(s[slot][runId] ?? { value: null, error: null }), ...patch } } }) as Partial<RunDetailState>);
  const load = async <S extends Slot>(slot: S, runId: string, call: () => Promise<NonNullable<RunDetailState[S][string]['value']>>) => {
    try {
      put(slot, runId, { value: await call(), error: null } as Partial<RunDetailState[S][string]>);
    } catch (e) {
      put(slot, runId, { error: errorMessage(e) } as Partial<RunDetailState[S][string]>);
    }
  };
  return {
    config: {},
    files: {},
    jobScript: {},
    async loadConfig(runId) {
      // The config a run started with is fixed: one answer serves every view (the config tab, the TensorBoard button).
      if (get().config[runId]?.value) return;
      await load('config', runId, () => api.call('runs.config', { id: runId }));
    },
    loadFiles: (runId) => load('files', runId, () => api.call('runs.files', { id: runId })),
    loadJobScript: (runId) => load('jobScript', runId, () => api.call('slurm.jobScript', { runId })),
  };
});

const fileWatches = sharedByKey();

/** Loads a run's files now and, while it is live, every few seconds (checkpoints appear and rotate away); ref-counted per run and liveness. */
export function watchRunFiles(runId: string, live: boolean): () => void {
  return fileWatches(`${runId} ${live}`, () => {
    void useRunDetail.getState().loadFiles(runId);
    const timer = live ? setInterval(() => void useRunDetail.getState().loadFiles(runId), 5000) : null;
    return () => timer && clearInterval(timer);
  });
}

/** "Export merged model": the export run it started (also upserted into the runs store). */
export async function exportMergedModel(runId: string): Promise<Run> {
  const run = await api.call('runs.export', { id: runId });
  useRuns.getState().upsert(run);
  return run;
}

/** The run's output folder on the engine's machine (the desktop opens it; serve shows the path). */
export async function runFolder(runId: string): Promise<string> {
  return (await api.call('runs.openFolder', { id: runId })).path;
}

/** TensorBoards the engine runs now (one may have been started from another window). */
export const listTensorBoards = (): Promise<TensorBoardInfo[]> => api.call('runs.tensorboards', {});
/** Starts (or reuses) a TensorBoard over these runs. */
export const startTensorBoard = (runIds: string[]): Promise<TensorBoardInfo> => api.call('runs.tensorboard', { ids: runIds });
export const stopTensorBoard = (id: string): Promise<void> => api.call('runs.tensorboardStop', { id }).then(() => undefined);

/** A file of the serve host, downloaded by the browser through a one-minute ticket (src/renderer/api/downloads.ts). */
export const downloadRunFile = (path: string): Promise<void> => downloadFromEngine(path);
