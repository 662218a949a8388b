/** Tasks: import, validate (cached), estimate, edit, clone and sweep; the domain's handlers call this. */
import { mkdirSync, readdirSync } from 'node:fs';
import { basename, dirname, extname, join } from 'node:path';
import { isSeq } from 'yaml';
import { msg, type Message } from '../../shared/messages/message.js';
import { RpcError } from '../../shared/rpc/protocol.js';
import type { MemoryFixAdvice, MemoryFixOption, Task } from '../../shared/types/task.js';
import type { CoreContext } from '../context.js';
import { createTasksRepo, type TaskRow } from '../store/tasksRepo.js';
import { textOf } from '../util/boundedRead.js';
import { newId } from '../util/ids.js';
import { calibrate, createCalibrationSource, type CalibrationSample } from './calibration.js';
import type { KeyCatalogue } from './catalogue.js';
import { nodeConfigFs, readModelConfig, resolveIn, type ConfigFs } from './configFs.js';
import { isTokenDescriptions } from './configKind.js';
import { createCatalogueSource } from './installedCatalogue.js';
import { findUpLfFolder, lfFolderNearCli, type FoundFolder } from './lfInstall.js';
import { gridCombos, setValueIn, setValues, sweepName } from './editConfig.js';
import { gatherDropped, gatherPaths, looksLikeConfig, notAConfig, refusal, type Candidate, type Skipped } from './gatherFiles.js';
import { deepspeedFile, isLlamaBoardState } from './llamaboard.js';
import { readSource, writeSource } from './sourceFile.js';
import { combineFixes, memoryFixes, type FixChange } from './memoryFixes.js';
import { llamaBoardTaskYaml } from './llamaboardImport.js';
import { parseConfig } from './parseConfig.js';
import { validateParsed } from './validateConfig.js';
import { estimateVram, type EstimateOptions } from './vramEstimate.js';
import { taskWorkDir, type WorkDirChoice } from './workDir.js';
import { which } from '../util/which.js';
import { createRunsRepo } from '../store/runsRepo.js';

/** Re-check files a task points at after this long (datasets and models appear while a task waits). */
const REVALIDATE_MS = 5_000;
/** How long a LLaMA-Factory folder found (behind llamafactory-cli, above a config) is trusted before looking again. */
const CLI_FOLDER_TTL_MS = 10_000;

export function createTaskService(ctx: CoreContext) {
  const repo = createTasksRepo(ctx.db);
  const fs: ConfigFs = nodeConfigFs(ctx.env);
  const cache = new Map<string, { updatedAt: number; at: number; workDir: string; catalogue: KeyCatalogue; task: Task }>();
  const catalogues = createCatalogueSource({
    resourcesDir: ctx.resourcesDir,
    cacheDir: join(ctx.paths.dataDir, 'llamafactory-keys'),
    settings: ctx.settings,
    env: ctx.env,
    // The installed LLaMA-Factory answered (or could not): every task is validated again with what is now known.
    onChange: () => {
      cache.clear();
      emitChanged();
    },
  });
  const catalogue = (): KeyCatalogue => catalogues.current().catalogue;
  const runRows = createRunsRepo(ctx.db);
  const calibration = createCalibrationSource(() => runRows.calibrationRows());
  let samples: { at: number; list: CalibrationSample[] } = { at: 0, list: [] };

  let cliFolderCache: { at: number; cli: string | null; found: FoundFolder | null } = { at: 0, cli: null, found: null };
  /** The checkout behind the chosen llamafactory-cli (only when LLaMA-Factory is the trainer). */
  function cliFolder(): FoundFolder | null {
    const t = ctx.settings().trainer;
    if (t.kind !== 'llamafactory') return null;
    const cli = which(t.llamafactoryCli ?? 'llamafactory-cli', ctx.env);
    if (cli !== cliFolderCache.cli || Date.now() - cliFolderCache.at > CLI_FOLDER_TTL_MS) {
      cliFolderCache = { at: Date.now(), cli, found: cli ? lfFolderNearCli(cli) : null };
    }
    return cliFolderCache.found;
  }
  const upCache = new Map<string, { at: number; found: string | null }>();
  /** The LLaMA-Factory folder above a config's folder, looked up again after a while (a checkout can appear). */
  const findUp = (dir: string): string | null => {
    const c = upCache.get(dir);
    if (c && Date.now() - c.at < CLI_FOLDER_TTL_MS) return c.found;
    const found = findUpLfFolder(dir);
    upCache.set(dir, { at: Date.now(), found });
    return found;
  };
  const workDirOf = (sourcePath: string | null): WorkDirChoice =>
    taskWorkDir({ sourcePath, settingsDir: ctx.settings().trainer.llamafactoryDir, cliFolder: cliFolder()?.path ?? null, tasksDir: ctx.paths.tasksDir, findUp });

  const calibrationSamples = () => {
    if (Date.now() - samples.at > 30_000) samples = { at: Date.now(), list: calibration.samples() };
    return samples.list;
  };

  /** Validation and estimate of a config as the task would run it (relative paths against workDir). */
  function assess(yaml: string, workDir: string, fileName: string | undefined, gpuCount = 1) {
    const parsed = parseConfig(yaml, fileName);
    const cat = catalogues.current();
    const result = validateParsed(parsed, { fileName, workDir, catalogue: cat.catalogue, certainty: cat.certainty, fs });
    const d = parsed.data;
    let estimate = null;
    if (result.kind !== 'unknown' && typeof d.model_name_or_path === 'string') {
      const modelConfig = readModelConfig(d.model_name_or_path, workDir, fs);
      const opts: EstimateOptions = { gpuCount, modelName: d.model_name_or_path };
      if (typeof d.deepspeed === 'string') {
        const text = textOf(fs.read(resolveIn(workDir, d.deepspeed, fs)));
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
    const wd = workDirOf(row.sourcePath);
    const cat = catalogue();
    if (c && c.updatedAt === row.updatedAt && c.workDir === wd.dir && c.catalogue === cat && Date.now() - c.at < REVALIDATE_MS) return c.task;
    const a = assess(row.yaml, wd.dir, row.sourcePath ? basename(row.sourcePath) : `${row.name}.yaml`);
    const task: Task = { ...row, workDir: wd.dir, workDirSource: wd.source, issues: a.issues, ok: a.ok, kind: a.kind, estimate: a.estimate };
    cache.set(row.id, { updatedAt: row.updatedAt, at: Date.now(), workDir: wd.dir, catalogue: cat, task });
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

  function importCandidates(cands: Candidate[], skipped: Skipped[]): Task[] {
    const skip = (name: string, said: Message) => skipped.push({ name, ...refusal(said) });
    const existing = repo.list();
    const taken = new Set(existing.map((t) => t.name));
    const now = Date.now();
    const rows: TaskRow[] = [];
    for (const c of cands) {
      if (c.path && existing.some((t) => t.sourcePath === c.path && t.yaml === c.content)) {
        skip(c.name, msg('config.skip.alreadyImported'));
        continue;
      }
      const parsed = parseConfig(c.content, c.name);
      if (parsed.refused) {
        skip(c.name, parsed.refused);
        continue;
      }
      let yaml = c.content;
      // Valid YAML/JSON that is a list is a dataset file (data/*.json sits one level down), not a broken config; a single
      // value (any text without `key: value` lines parses as one) is no config either.
      if (parsed.doc && parsed.doc.contents !== null && Object.keys(parsed.data).length === 0 && parsed.issues.length > 0) {
        const list = isSeq(parsed.doc.contents);
        skip(c.name, msg(list ? 'config.skip.list' : 'config.skip.noKeyValue'));
        continue;
      }
      if (parsed.doc && parsed.issues.length === 0) {
        const why = isTokenDescriptions(parsed.data) ? msg('config.skip.tokenDescriptions') : notAConfig(parsed.data, catalogue().keys);
        if (why) {
          skip(c.name, why);
          continue;
        }
        if (isLlamaBoardState(parsed.data)) {
          const wd = workDirOf(c.path);
          const lfDir = wd.source === 'config-folder' || wd.source === 'tasks-folder' ? null : wd.dir;
          yaml = llamaBoardTaskYaml(parsed.data, { name: c.name, path: c.path, lfDir, resourcesDir: ctx.resourcesDir, env: ctx.env });
        }
      }
      // A config with a syntax error is imported anyway: the person fixes it in the editor and nothing is lost. Text that
      // is not a config at all (no LLaMA-Factory key on any line) is not: it would only carry another file's content in.
      if (!parsed.doc && !looksLikeConfig(c.content, catalogue().keys)) {
        skip(c.name, msg('config.skip.noKnownKey'));
        continue;
      }
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

  const emitChanged = () => ctx.bus.emit('tasks.changed', { tasks: list() });
  const list = (): Task[] => repo.list().map(toTask);
  // A new LLaMA-Factory folder or trainer moves tasks to another working folder and key list: show it at once.
  ctx.bus.on('settings.changed', () => {
    cache.clear();
    emitChanged();
  });

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
      return gpuCount <= 1 ? toTask(row).estimate : assess(row.yaml, workDirOf(row.sourcePath).dir, row.sourcePath ?? undefined, gpuCount).estimate;
    },
    async importPaths(paths: string[], files: { name: string; content: string }[]) {
      const g = await gatherPaths(paths);
      const d = gatherDropped(files);
      const cands: Candidate[] = [...g.files, ...d.files];
      const skipped = [...g.skipped, ...d.skipped];
      return { tasks: importCandidates(cands, skipped), skipped };
    },
    async loadExamples(): Promise<Task[]> {
      const dir = join(ctx.resourcesDir, 'examples');
      let names: string[];
      try {
        names = readdirSync(dir).filter((n) => /\.ya?ml$/i.test(n)).sort();
      } catch {
        throw new RpcError('not_found', `No examples folder at ${dir}.`);
      }
      const g = await gatherPaths(names.map((n) => join(dir, n)));
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
    /**
     * The memory fixes a task can take, each estimated as the new task would run. `cardMiB` is the card to fit (the
     * smallest of an out-of-memory run's cards, else the largest here); `ranOut` says the run already proved the config
     * needs more than that card, so estimates that said otherwise are scaled up to it.
     */
    memoryFixes(id: string, opts: { gpuCount: number; cardMiB: number | null; marginMiB: number; ranOut: boolean }): MemoryFixAdvice {
      const row = mustGet(id);
      const wd = workDirOf(row.sourcePath).dir;
      const name = row.sourcePath ? basename(row.sourcePath) : `${row.name}.yaml`;
      const n = Math.max(1, opts.gpuCount);
      const parsed = parseConfig(row.yaml, name);
      const changes = parsed.doc && !parsed.doc.errors.length ? memoryFixes(parsed.data, (stage, off) => deepspeedFile(ctx.resourcesDir, stage, off)) : [];
      const cur = assess(row.yaml, wd, name, n).estimate;
      const scale = opts.ranOut && cur && opts.cardMiB && cur.highMiB < opts.cardMiB ? opts.cardMiB / cur.highMiB : 1;
      const range = (e: { lowMiB: number; highMiB: number } | null) => (e ? { lowMiB: Math.round(e.lowMiB * scale), highMiB: Math.round(e.highMiB * scale) } : null);
      const option = (list: FixChange[]): MemoryFixOption => {
        const set = Object.assign({}, ...list.map((c) => c.set)) as Record<string, unknown>;
        const estimate = range(assess(editOrThrow(() => setValues(row.yaml, set, catalogue())), wd, name, n).estimate);
        return {
          fixes: list.map((c) => c.id),
          set,
          suffix: list.map((c) => c.suffix).join('-'),
          estimate,
          fits: estimate && opts.cardMiB ? estimate.highMiB + opts.marginMiB <= opts.cardMiB : null,
        };
      };
      const all = combineFixes(changes);
      return {
        cardMiB: opts.cardMiB,
        gpuCount: n,
        current: range(cur),
        oomScale: Math.round(scale * 100) / 100,
        options: changes.map((c) => option([c])),
        combined: all.length > 1 ? option(all) : null,
      };
    },
    keys() {
      return Object.entries(catalogue().keys).map(([key, k]) => ({
        key,
        type: k.type,
        ...(k.default !== undefined ? { default: k.default } : {}),
        ...(k.choices ? { choices: k.choices } : {}),
        ...(k.help ? { help: k.help } : {}),
      }));
    },
    source(id: string) {
      const row = mustGet(id);
      if (!row.sourcePath) throw new RpcError('not_found', `"${row.name}" was not imported from a file (a browser drop or a copy): it has no file on disk to compare with or save to.`);
      return readSource(row.sourcePath);
    },
    /** The file first (it may refuse), then the task: the board runs what the file now says. */
    saveSource(id: string, yaml: string, hash: string) {
      const row = mustGet(id);
      if (!row.sourcePath) throw new RpcError('not_found', `"${row.name}" has no file on disk to save to.`);
      const source = writeSource(row.sourcePath, yaml, hash);
      return { task: saveYaml(row, yaml), source };
    },
    validateText(yaml: string, name?: string, id?: string) {
      const row = id ? mustGet(id) : null;
      return assess(yaml, workDirOf(row?.sourcePath ?? null).dir, name ?? (row?.sourcePath ? basename(row.sourcePath) : undefined)).issues;
    },
    /** What Settings → Trainer shows: the folder found behind llamafactory-cli, and which key list validates tasks. */
    trainerInfo() {
      const cat = catalogues.current();
      const found = cliFolder();
      return {
        llamafactoryDir: ctx.settings().trainer.llamafactoryDir,
        found: found ? { path: found.path, how: found.how } : null,
        catalogue: { ...cat.info, status: cat.status, python: cat.python, message: cat.message },
      };
    },
  };
}

export type TaskService = ReturnType<typeof createTaskService>;
