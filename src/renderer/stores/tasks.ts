/** The task library: tasks from tasks.list kept fresh by tasks.changed, the last import result, and library actions. */
import { create } from 'zustand';
import type { Methods } from '../../shared/contract/index.js';
import type { ParamsOf, ResultOf } from '../../shared/rpc/define.js';
import type { ImportSkip, Task } from '../../shared/types/task.js';
import { errorMessage } from '../i18n/errorMessage.js';
import { api } from '../api/client.js';
import { followTopic } from './topics.js';
import { once, reloadOnReconnect } from './sync.js';

export interface ImportResult {
  imported: string[];
  skipped: ImportSkip[];
  at: number;
}

interface TasksState {
  tasks: Task[];
  loaded: boolean;
  lastImport: ImportResult | null;
  load(): Promise<void>;
  set(tasks: Task[]): void;
  importPaths(paths: string[]): Promise<ImportResult>;
  importFiles(files: { name: string; content: string }[], skippedHere?: ImportSkip[]): Promise<ImportResult>;
  clearImport(): void;
  /** Replaces one task in place (an edit's answer arrives before the tasks.changed broadcast). */
  upsert(task: Task): void;
  /** Imports dropped files or picked paths and returns the tasks themselves (a drop onto a card queues them there). */
  importTasks(g: { paths: string[]; files: { name: string; content: string }[]; skipped: ImportSkip[] }): Promise<Task[]>;
  /** One-click memory fixes per task (and the run that ran out of memory), by `fixesKey`. */
  memoryFixes: Record<string, { advice: ResultOf<Methods['tasks.memoryFixes']> | null; error: string | null }>;
  loadMemoryFixes(taskId: string, runId?: string): Promise<void>;
  clone(params: ParamsOf<Methods['tasks.clone']>): Promise<Task>;
  sweep(params: ParamsOf<Methods['tasks.sweep']>): Promise<Task[]>;
  setValue(id: string, key: string, value: unknown): Promise<Task>;
  remove(id: string): Promise<void>;
  loadExamples(): Promise<Task[]>;
  /** The installed trainer as the engine sees it (version, where, what it supports). */
  trainerInfo(): Promise<ResultOf<Methods['tasks.trainerInfo']>>;
  /** The config editor's calls: the task's file as on disk, the key catalogue, live validation, and saving. */
  source(id: string): Promise<ResultOf<Methods['tasks.source']>>;
  keys(): Promise<ResultOf<Methods['tasks.keys']>>;
  validateText(yaml: string, id: string): Promise<ResultOf<Methods['tasks.validateText']>>;
  saveSource(id: string, yaml: string, hash: string): Promise<ResultOf<Methods['tasks.saveSource']>>;
  /** Saves the text to the task only (a task with no file of its own). */
  updateYaml(id: string, yaml: string): Promise<Task>;
}

/** The key of a task's memory fixes in the store. */
export const fixesKey = (taskId: string, runId?: string): string => `${taskId} ${runId ?? ''}`;

/** Splits files into groups whose contents stay under `limit` characters (a single bigger file goes alone). */
export function batchesBySize<F extends { content: string }>(files: F[], limit: number): F[][] {
  const out: F[][] = [];
  let cur: F[] = [];
  let size = 0;
  for (const f of files) {
    if (cur.length && size + f.content.length > limit) {
      out.push(cur);
      cur = [];
      size = 0;
    }
    cur.push(f);
    size += f.content.length;
  }
  if (cur.length) out.push(cur);
  return out;
}

export const useTasks = create<TasksState>((set, get) => ({
  tasks: [],
  loaded: false,
  lastImport: null,
  async load() {
    set({ tasks: await api.call('tasks.list', {}), loaded: true });
  },
  set: (tasks) => set({ tasks, loaded: true }),
  async importPaths(paths) {
    const r = await api.call('tasks.import', { paths });
    const result = { imported: r.tasks.map((t) => t.name), skipped: r.skipped, at: Date.now() };
    set({ lastImport: result });
    return result;
  },
  async importFiles(files, skippedHere = []) {
    const imported: string[] = [];
    const skipped = [...skippedHere];
    // The engine takes at most 32 MiB per message: send big drops in batches well under that.
    for (const batch of batchesBySize(files, 8_000_000)) {
      const r = await api.call('tasks.import', { files: batch });
      imported.push(...r.tasks.map((t) => t.name));
      skipped.push(...r.skipped);
    }
    const result = { imported, skipped, at: Date.now() };
    set({ lastImport: result });
    return result;
  },
  clearImport: () => set({ lastImport: null }),
  upsert(task) {
    const tasks = get().tasks;
    set({ tasks: tasks.some((t) => t.id === task.id) ? tasks.map((t) => (t.id === task.id ? task : t)) : [...tasks, task] });
  },
  async importTasks(g) {
    const tasks: Task[] = [];
    const skipped = [...g.skipped];
    // The engine takes at most 32 MiB per message: send big drops in batches well under that.
    const requests = g.paths.length ? [{ paths: g.paths }] : batchesBySize(g.files, 8_000_000).map((files) => ({ files }));
    for (const params of requests) {
      const r = await api.call('tasks.import', params);
      tasks.push(...r.tasks);
      skipped.push(...r.skipped);
    }
    set({ lastImport: { imported: tasks.map((t) => t.name), skipped, at: Date.now() } });
    return tasks;
  },
  memoryFixes: {},
  async loadMemoryFixes(taskId, runId) {
    const key = fixesKey(taskId, runId);
    const put = (v: Partial<TasksState['memoryFixes'][string]>) =>
      set((s) => ({ memoryFixes: { ...s.memoryFixes, [key]: { ...(s.memoryFixes[key] ?? { advice: null, error: null }), ...v } } }));
    try {
      put({ advice: await api.call('tasks.memoryFixes', { id: taskId, ...(runId ? { runId } : {}) }), error: null });
    } catch (e) {
      put({ error: errorMessage(e) });
    }
  },
  clone: (params) => api.call('tasks.clone', params),
  sweep: (params) => api.call('tasks.sweep', params),
  setValue: (id, key, value) => api.call('tasks.setValue', { id, key, value }),
  async remove(id) {
    await api.call('tasks.remove', { id });
  },
  loadExamples: () => api.call('tasks.loadExamples', {}),
  trainerInfo: () => api.call('tasks.trainerInfo', {}),
  source: (id) => api.call('tasks.source', { id }),
  keys: () => api.call('tasks.keys', {}),
  validateText: (yaml, id) => api.call('tasks.validateText', { yaml, id }),
  saveSource: (id, yaml, hash) => api.call('tasks.saveSource', { id, yaml, hash }),
  updateYaml: (id, yaml) => api.call('tasks.update', { id, yaml }),
}));

/** Loads the library and follows tasks.changed (call once at app start). */
function subscribeAll(): () => void {
  const load = () => void useTasks.getState().load().catch(() => undefined);
  load();
  const offConn = reloadOnReconnect(load);
  const off = followTopic('tasks.changed', {}, ({ tasks }) => useTasks.getState().set(tasks));
  return () => {
    offConn();
    off();
  };
}

/** Idempotent: main.tsx and a view may both call it. */
export const startTasksSync = once(subscribeAll);
