/** Stored tasks (table `tasks`): the config text, where it came from and runs, sweep and tags. Validation is not stored. */
import type { Db } from './db.js';

export interface TaskRow {
  id: string;
  name: string;
  sourcePath: string | null;
  workDir: string;
  yaml: string;
  sweepId: string | null;
  tags: string[];
  createdAt: number;
  updatedAt: number;
}

interface Raw {
  id: string;
  name: string;
  source_path: string | null;
  work_dir: string;
  yaml: string;
  sweep_id: string | null;
  tags: string;
  created_at: number;
  updated_at: number;
}

const fromRaw = (r: Raw): TaskRow => ({
  id: r.id,
  name: r.name,
  sourcePath: r.source_path,
  workDir: r.work_dir,
  yaml: r.yaml,
  sweepId: r.sweep_id,
  tags: safeTags(r.tags),
  createdAt: r.created_at,
  updatedAt: r.updated_at,
});

function safeTags(s: string): string[] {
  try {
    const v = JSON.parse(s) as unknown;
    return Array.isArray(v) ? v.map(String) : [];
  } catch {
    return [];
  }
}

export function createTasksRepo(db: Db) {
  const insert = db.prepare(
    `INSERT INTO tasks (id, name, source_path, work_dir, yaml, sweep_id, tags, created_at, updated_at)
     VALUES (@id, @name, @sourcePath, @workDir, @yaml, @sweepId, @tags, @createdAt, @updatedAt)`,
  );
  const all = db.prepare<Raw>('SELECT * FROM tasks ORDER BY created_at, id');
  const one = db.prepare<Raw>('SELECT * FROM tasks WHERE id = ?');
  const update = db.prepare('UPDATE tasks SET name = @name, yaml = @yaml, updated_at = @updatedAt WHERE id = @id');
  const remove = db.prepare('DELETE FROM tasks WHERE id = ?');
  const row = (t: TaskRow) => ({ ...t, tags: JSON.stringify(t.tags) });
  return {
    list: (): TaskRow[] => all.all().map(fromRaw),
    get: (id: string): TaskRow | null => {
      const r = one.get(id);
      return r ? fromRaw(r) : null;
    },
    /** All in one transaction: an import of 500 files is one fsync. */
    insertMany: db.transaction((tasks: TaskRow[]) => {
      for (const t of tasks) insert.run(row(t));
    }),
    update: (id: string, patch: { name: string; yaml: string }, now = Date.now()): void => {
      update.run({ id, name: patch.name, yaml: patch.yaml, updatedAt: now });
    },
    remove: (id: string): boolean => remove.run(id).changes > 0,
  };
}

export type TasksRepo = ReturnType<typeof createTasksRepo>;
