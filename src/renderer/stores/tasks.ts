/** The task library: tasks from tasks.list kept fresh by tasks.changed, the last import result, and library actions. */
import { create } from 'zustand';
import type { Task } from '../../shared/types/task.js';
import { api } from '../api/client.js';
import { once, reloadOnReconnect } from './sync.js';

export interface ImportResult {
  imported: string[];
  skipped: { name: string; reason: string }[];
  at: number;
}

interface TasksState {
  tasks: Task[];
  loaded: boolean;
  lastImport: ImportResult | null;
  load(): Promise<void>;
  set(tasks: Task[]): void;
  importPaths(paths: string[]): Promise<ImportResult>;
  importFiles(files: { name: string; content: string }[], skippedHere?: { name: string; reason: string }[]): Promise<ImportResult>;
  clearImport(): void;
  /** Replaces one task in place (an edit's answer arrives before the tasks.changed broadcast). */
  upsert(task: Task): void;
}

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
}));

/** Loads the library and follows tasks.changed (call once at app start). */
function subscribeAll(): () => void {
  const load = () => void useTasks.getState().load().catch(() => undefined);
  load();
  const offConn = reloadOnReconnect(load);
  const off = api.subscribe('tasks.changed', {}, ({ tasks }) => useTasks.getState().set(tasks));
  return () => {
    offConn();
    off();
  };
}

/** Idempotent: main.tsx and a view may both call it. */
export const startTasksSync = once(subscribeAll);
