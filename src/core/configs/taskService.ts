/** Tasks: import, validate (cached), estimate, edit, clone and sweep; the domain's handlers call this. */
import { mkdirSync, readdirSync } from 'node:fs';
import { basename, dirname, extname, join } from 'node:path';
import { Document } from 'yaml';
import { RpcError } from '../../shared/rpc/protocol.js';
import type { Task } from '../../shared/types/task.js';
import type { CoreContext } from '../context.js';
import { createTasksRepo, type TaskRow } from '../store/tasksRepo.js';
import { newId } from '../util/ids.js';
import { calibrate, createCalibrationSource, type CalibrationSample } from './calibration.js';
import { catalogueFor, type KeyCatalogue } from './catalogue.js';
import { nodeConfigFs, readModelConfig, resolveIn, type ConfigFs } from './configFs.js';
import { gridCombos, setValueIn, setValues, sweepName } from './editConfig.js';
import { gatherPaths, notAConfig, type Candidate } from './gatherFiles.js';
import { convertLlamaBoard, isLlamaBoardState } from './llamaboard.js';
import { parseConfig } from './parseConfig.js';
import { validateParsed } from './validateConfig.js';
import { estimateVram, type EstimateOptions } from './vramEstimate.js';

/** Re-check files a task points at after this long (datasets and models appear while a task waits). */
const REVALIDATE_MS = 5_000;

export function createTaskService(ctx: CoreContext) {
  const repo = createTasksRepo(ctx.db);
  const fs: ConfigFs = nodeConfigFs(ctx.env);
  const catalogue = (): KeyCatalogue => catalogueFor(ctx.resourcesDir);
  const calibration = createCalibrationSource(ctx.db);
  let samples: { at: number; list: CalibrationSample[] } = { at: 0, list: [] };
  const cache = new Map<string, { updatedAt: number; at: number; task: Task }>();

  const calibrationSamples = () => {
    if (Date.now() - samples.at > 30_000) samples = { at: Date.now(), list: calibration.samples() };
    return samples.list;
  };

  /** Validation and estimate of a config as the task would run it (relative paths against workDir). */
  function assess(yaml: string, workDir: string, fileName: string | undefined, gpuCount = 1) {
    const parsed = parseConfig(yaml, fileName);
    const result = validateParsed(parsed, { fileName, workDir, catalogue: catalogue(), fs });
    const d = parsed.data;
    let estimate = null;
    if (result.kind !== 'unknown' && typeof d.model_name_or_path === 'string') {
      const modelConfig = readModelConfig(d.model_name_or_path, workDir, fs);
      const opts: EstimateOptions = { gpuCount, modelName: d.model_name_or_path };
      if (typeof d.deepspeed === 'string') {
        const text = fs.readText(resolveIn(workDir, d.deepspeed, fs));
        try {
          opts.deepspeed = text ? (JSON.parse(text) as Record<string, unknown>) : null;
        } catch {
          opts.deepspeed = null;
        }
      }
      const ft = typeof d.finetuning_type === 'string' ? d.finetuning_type : 'lora';
      opts.calibration = calibrate(calibrationSamples(), d.model_name_or_path.trim().replace(/[\\/]+$/, ''), ft);
      estimate = estimateVram(d, modelConfig, opts);
    }
    return { ...result, estimate };
  }

  function toTask(row: TaskRow): Task {
    const c = cache.get(row.id);
    if (c && c.updatedAt === row.updatedAt && Date.now() - c.at < REVALIDATE_MS) return c.task;
    const a = assess(row.yaml, row.workDir, row.sourcePath ? basename(row.sourcePath) : `${row.name}.yaml`);
    const task: Task = { ...row, issues: a.issues, ok: a.ok, kind: a.kind, estimate: a.estimate };
    cache.set(row.id, { updatedAt: row.updatedAt, at: Date.now(), task });
    return task;
  }

  const mustGet = (id: string): TaskRow => {
    const row = repo.get(id);
    if (!row) throw new RpcError('not_found', `No task ${id}; it may have been removed.`);
    return row;
  };

  /** "support", "support (2)", … so the library never shows two tasks with one name. */
  const uniqueName = (base: string, taken: Set<string>): string => {
    let name = base;
    for (let i = 2; taken.has(name); i++) name = `${base} (${i})`;
    taken.add(name);
    return name;
  };

  function importCandidates(cands: Candidate[], skipped: { name: string; reason: string }[]): Task[] {
    const existing = repo.list();
    const taken = new Set(existing.map((t) => t.name));
    const now = Date.now();
    const rows: TaskRow[] = [];
    for (const c of cands) {
      if (c.path && existing.some((t) => t.sourcePath === c.path && t.yaml === c.content)) {
        skipped.push({ name: c.name, reason: 'already imported (same file, same content)' });
        continue;
      }
      const parsed = parseConfig(c.content, c.name);
      let yaml = c.content;
      // Valid YAML/JSON that is a list is a dataset file (data/*.json sits one level down), not a broken config.
      if (parsed.doc && parsed.doc.contents !== null && Object.keys(parsed.data).length === 0 && parsed.issues.length > 0) {
        skipped.push({ name: c.name, reason: 'a list, not a mapping of config keys (a dataset file?)' });
        continue;
      }
      if (parsed.doc && parsed.issues.length === 0) {
        const why = notAConfig(parsed.data, catalogue().keys);
        if (why) {
          skipped.push({ name: c.name, reason: why });
          continue;
        }
        if (isLlamaBoardState(parsed.data)) yaml = llamaBoardYaml(parsed.data, c.name);
      }
      // A file with a syntax error is imported anyway: the person fixes it in the editor and nothing is lost.
      const base = basename(c.name, extname(c.name)) || 'task';
      rows.push({
        id: newId('task'),
        name: uniqueName(base, taken),
        sourcePath: c.path,
        workDir: c.path ? dirname(c.path) : ctx.paths.tasksDir,
        yaml,
        sweepId: null,
        tags: [],
        createdAt: now,
        updatedAt: now,
      });
    }
    // Content drops (a browser has no paths) run in the data dir's tasks folder: it must exist before a trainer chdirs there.
    if (rows.some((r) => !r.sourcePath)) mkdirSync(ctx.paths.tasksDir, { recursive: true });
    repo.insertMany(rows);
    if (rows.length) emitChanged();
    return rows.map(toTask);
  }

  function llamaBoardYaml(data: Record<string, unknown>, name: string): string {
    const conv = convertLlamaBoard(data);
    const doc = new Document(conv.config);
    doc.commentBefore = [
      ` Converted by Trainyard from the LlamaBoard UI state ${name}.`,
      ...conv.notes.map((n) => ` ${n}`),
      conv.dropped.length ? ` Dropped (no config key): ${conv.dropped.join(', ')}` : ' Nothing was dropped.',
    ].join('\n');
    return doc.toString();
  }

  const emitChanged = () => ctx.bus.emit('tasks.changed', { tasks: list() });
  const list = (): Task[] => repo.list().map(toTask);

  function saveYaml(row: TaskRow, yaml: string, name = row.name): Task {
    const now = Math.max(Date.now(), row.updatedAt + 1);
    repo.update(row.id, { name, yaml }, now);
    cache.delete(row.id);
    emitChanged();
    return toTask(mustGet(row.id));
  }

  function editOrThrow(fn: () => string): string {
    try {
      return fn();
    } catch (e) {
      throw new RpcError('bad_request', e instanceof Error ? e.message : String(e));
    }
  }

  return {
    list,
    get: (id: string): Task | null => {
      const row = repo.get(id);
      return row ? toTask(row) : null;
    },
    mustGet: (id: string): Task => toTask(mustGet(id)),
    /** Estimate for a run spanning gpuCount GPUs (ZeRO shards change the per-GPU figure). */
    estimateFor: (id: string, gpuCount: number) => {
      const row = mustGet(id);
      return gpuCount <= 1 ? toTask(row).estimate : assess(row.yaml, row.workDir, row.sourcePath ?? undefined, gpuCount).estimate;
    },
    importPaths(paths: string[], files: { name: string; content: string }[]) {
      const g = gatherPaths(paths);
      const cands: Candidate[] = [...g.files, ...files.map((f) => ({ name: basename(f.name), path: null, content: f.content }))];
      const skipped = [...g.skipped];
      return { tasks: importCandidates(cands, skipped), skipped };
    },
    loadExamples(): Task[] {
      const dir = join(ctx.resourcesDir, 'examples');
      let names: string[];
      try {
        names = readdirSync(dir).filter((n) => /\.ya?ml$/i.test(n)).sort();
      } catch {
        throw new RpcError('not_found', `No examples folder at ${dir}.`);
      }
      const g = gatherPaths(names.map((n) => join(dir, n)));
      return importCandidates(g.files, [...g.skipped]);
    },
    update(id: string, patch: { name?: string; yaml?: string }): Task {
      const row = mustGet(id);
      return saveYaml(row, patch.yaml ?? row.yaml, patch.name ?? row.name);
    },
    setValue(id: string, key: string, value: unknown): Task {
      const row = mustGet(id);
      return saveYaml(row, editOrThrow(() => setValueIn(row.yaml, key, value === null ? null : value, catalogue())));
    },
    clone(id: string, name?: string, set?: Record<string, unknown>): Task {
      const row = mustGet(id);
      const yaml = set ? editOrThrow(() => setValues(row.yaml, set, catalogue())) : row.yaml;
      const taken = new Set(repo.list().map((t) => t.name));
      const now = Date.now();
      const copy: TaskRow = { ...row, id: newId('task'), name: uniqueName(name ?? `${row.name} copy`, taken), yaml, createdAt: now, updatedAt: now };
      repo.insertMany([copy]);
      emitChanged();
      return toTask(copy);
    },
    sweep(id: string, grid: { key: string; values: unknown[] }[]): Task[] {
      const row = mustGet(id);
      const combos = gridCombos(grid);
      if (combos.length > 200) throw new RpcError('bad_request', `The grid makes ${combos.length} tasks; 200 at most.`);
      const sweepId = newId('sweep');
      const taken = new Set(repo.list().map((t) => t.name));
      const now = Date.now();
      const rows = combos.map((combo, i) => ({
        ...row,
        id: newId('task'),
        name: uniqueName(sweepName(row.name, combo), taken),
        yaml: editOrThrow(() => setValues(row.yaml, Object.fromEntries(combo), catalogue())),
        sweepId,
        createdAt: now + i,
        updatedAt: now + i,
      }));
      repo.insertMany(rows);
      emitChanged();
      return rows.map(toTask);
    },
    remove(id: string): void {
      if (!repo.remove(id)) throw new RpcError('not_found', `No task ${id}.`);
      cache.delete(id);
      emitChanged();
    },
    validateText(yaml: string, name?: string) {
      return assess(yaml, ctx.paths.tasksDir, name).issues;
    },
  };
}

export type TaskService = ReturnType<typeof createTaskService>;
