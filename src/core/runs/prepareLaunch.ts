/** Turns a LaunchSpec into what runs: the run dir, the exact config copy (output_dir chosen, comments kept), argv and the run's own env. */
import { mkdirSync, readdirSync, rmSync, statSync, symlinkSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { delimiter, dirname, extname, isAbsolute, join, relative, resolve } from 'node:path';
import YAML from 'yaml';
import type { PlannedOutput } from '../../shared/types/task.js';
import type { LaunchSpec } from './supervisorApi.js';

/** A folder-name-safe version of a run name (no separators, no spaces: torchrun re-splits argv on spaces). */
export function sanitizeName(name: string): string {
  const s = name
    .normalize('NFKD')
    .replace(/[^\w.-]+/g, '-')
    .replace(/^[-.]+|[-.]+$/g, '')
    .slice(0, 60);
  return s || 'run';
}

/**
 * What a finished or interrupted run leaves in its output_dir: LLaMA-Factory's CHECKPOINT_NAMES (the final weights,
 * LF ff6d4d1 src/llamafactory/extras/constants.py:26-33; its parser refuses such a folder without
 * overwrite_output_dir, hparams/parser.py:612-623), the logs LogCallback and save_metrics append to, and checkpoints
 * (which LF would silently resume from, parser.py:619-628).
 */
const RUN_OUTPUT_FILES = [
  'trainer_log.jsonl',
  'all_results.json',
  'adapter_model.safetensors',
  'adapter_model.bin',
  'model.safetensors',
  'model.safetensors.index.json',
  'pytorch_model.bin',
  'pytorch_model.bin.index.json',
];

/** True when `dir` already holds another run's results: writing there would resume, refuse or overwrite them. */
export function hasRunOutputs(dir: string): boolean {
  let names: string[];
  try {
    names = readdirSync(dir);
  } catch {
    return false;
  }
  return names.some((n) => {
    if (RUN_OUTPUT_FILES.includes(n)) return true;
    if (!/^checkpoint-\d+$/.test(n)) return false;
    try {
      return statSync(join(dir, n)).isDirectory();
    } catch {
      return false;
    }
  });
}

/**
 * THE output_dir rule. The config's own output_dir (relative to the trainer's working folder, as LLaMA-Factory resolves
 * it) is kept, unless another run would write the same folder: one that is running or planned before this one
 * (`claimed`: a sweep whose members share output_dir, two queued copies of a task) or a finished one whose results are
 * there (a re-run). Then the first free `<output_dir>-2`, `-3`, … is used, so no run's results are mixed into another's.
 * No output_dir in the config, or one inside Trainyard's own resources (`appDirs`: the installed ones and their copy in
 * the data folder, see ownResourceDirs): path null, the caller makes one under the data dir.
 */
export function chooseOutputDir(
  configured: unknown,
  workDir: string,
  claimed: ReadonlySet<string>,
  used: (dir: string) => boolean = hasRunOutputs,
  appDirs: readonly string[] = [],
): PlannedOutput {
  if (typeof configured !== 'string' || !configured.trim()) return { path: null, configured: null, reason: 'default' };
  const base = resolve(workDir, configured.trim()).replace(/[\\/]+$/, '');
  // Trainyard's own resources (the bundled examples' relative output_dir) are read-only in a packaged app: never an output.
  if (appDirs.some((d) => isInside(base, d))) return { path: null, configured: base, reason: 'default' };
  if (!claimed.has(base) && !used(base)) return { path: base, configured: base, reason: 'config' };
  const reason = claimed.has(base) ? 'shared' : 'used';
  for (let n = 2; ; n++) {
    const path = `${base}-${n}`;
    if (!claimed.has(path) && !used(path)) return { path, configured: base, reason };
  }
}

function isInside(path: string, dir: string): boolean {
  const rel = relative(dir, path);
  return rel === '' || (!rel.startsWith('..') && !isAbsolute(rel));
}

/** The output folder Trainyard makes for a config without output_dir: one per run under the data dir. */
export function defaultOutputDir(outputsDir: string, name: string, runId: string): string {
  return join(outputsDir, `${sanitizeName(name)}-${runId}`);
}

export interface PreparedConfig {
  yaml: string;
  outputDir: string;
  hasDeepspeed: boolean;
}

/**
 * Sets output_dir in the user's YAML without losing comments or key order: `spec.outputDir` when the caller pinned one
 * (resume, an evaluation folder, the scheduler's plan), else chooseOutputDir against the folders of active runs
 * (`claimed`). For kind 'api' (an inference server) output_dir is not touched: the server writes nothing there, and the
 * key would be rejected by the api parser.
 */
export function prepareConfig(
  spec: LaunchSpec,
  runId: string,
  outputsDir: string,
  claimed: ReadonlySet<string> = new Set(),
  appDirs: readonly string[] = [],
): PreparedConfig {
  // parseDocument collects errors instead of throwing.
  const doc = YAML.parseDocument(spec.configYaml);
  if (doc.errors.length) throw new Error(`The config is not valid YAML: ${doc.errors[0]!.message}`);
  const contents = doc.toJS() as unknown;
  if (contents !== null && (typeof contents !== 'object' || Array.isArray(contents))) {
    throw new Error('The config must be a YAML mapping (key: value lines).');
  }
  const hasDeepspeed = !!(contents as Record<string, unknown> | null)?.deepspeed;
  if (spec.kind === 'api') return { yaml: doc.toString(), outputDir: '', hasDeepspeed };
  if (spec.kind === 'export') {
    // The infer parser LF exports with refuses output_dir (hparams/parser.py:68, no TrainingArguments): the run's folder
    // is its export_dir, where the merged model is written.
    const exportDir = (contents as Record<string, unknown> | null)?.export_dir;
    if (typeof exportDir !== 'string' || !exportDir.trim()) throw new Error('An export config needs export_dir: the folder to write the merged model to.');
    return { yaml: doc.toString(), outputDir: resolve(spec.workDir, exportDir.trim()), hasDeepspeed };
  }
  const pinned = spec.outputDir ? resolve(spec.workDir, spec.outputDir) : null;
  const chosen = pinned ?? chooseOutputDir((contents as Record<string, unknown> | null)?.output_dir, spec.workDir, claimed, hasRunOutputs, appDirs).path;
  const outputDir = chosen ?? defaultOutputDir(outputsDir, spec.name, runId);
  if (doc.contents === null) doc.contents = doc.createNode({}) as never;
  doc.set('output_dir', outputDir);
  return { yaml: doc.toString(), outputDir, hasDeepspeed };
}

/** The variables Trainyard adds for this run (recorded in the runs table; the trainer also inherits ctx.env). */
export function runEnv(opts: {
  spec: LaunchSpec;
  outputDir: string;
  masterPort: number;
  hasDeepspeed: boolean;
  /** argv[0] of the trainer, and the PATH it would inherit. */
  program?: string;
  path?: string;
}): Record<string, string> {
  const env: Record<string, string> = {
    // An empty list means the CPU "device": hide every GPU rather than leaving them all visible.
    CUDA_VISIBLE_DEVICES: opts.spec.gpuIndices.join(','),
    MASTER_PORT: String(opts.masterPort),
    PYTHONUNBUFFERED: '1',
  };
  if (opts.spec.kind === 'train' || opts.spec.kind === 'predict') {
    // LLAMABOARD_ENABLED installs LLaMA-Factory's SIGABRT handler (graceful stop that still saves) and running_log.txt.
    env.LLAMABOARD_ENABLED = '1';
    env.LLAMABOARD_WORKDIR = opts.outputDir;
  }
  // LLaMA-Factory relaunches training under torchrun when FORCE_TORCHRUN is set or torch counts more than one device
  // (launcher.py:60-62 at ff6d4d1). Several cards always mean one worker per card: say so rather than leave it to a
  // device count that a driver quirk or another accelerator backend could get wrong. DeepSpeed needs torchrun even on one.
  if (opts.hasDeepspeed || ((opts.spec.kind === 'train' || opts.spec.kind === 'predict') && opts.spec.gpuIndices.length > 1)) env.FORCE_TORCHRUN = '1';
  // llamafactory-cli re-launches multi-GPU training as `torchrun …` found on PATH (launcher.py:60-131 at ff6d4d1): the
  // CLI of a venv run without activating it would get another environment's torchrun, or none. Its own folder goes
  // first on PATH, as activating the venv does.
  if (opts.program && isAbsolute(opts.program)) {
    const dir = dirname(opts.program);
    const rest = (opts.path ?? '').split(delimiter).filter((p) => p && p !== dir);
    env.PATH = [dir, ...rest].join(delimiter);
  }
  return { ...env, ...(opts.spec.extraEnv ?? {}) };
}

/**
 * The config path to put on the trainer's command line. LLaMA-Factory re-launches multi-GPU training under torchrun by
 * joining its argv with spaces and splitting the command again on whitespace (launcher.py:60-131 at ff6d4d1), so a
 * path with a space (a data dir like "~/Library/Application Support/Trainyard") reaches the workers in pieces. Such a
 * path is given relative to the trainer's working folder when that has no whitespace, else through a link in the temp
 * folder; the copy in the run dir stays the one recorded.
 */
export function argvConfigPath(configPath: string, workDir: string, runId: string, tmp = tmpdir()): string {
  if (!/\s/.test(configPath)) return configPath;
  const rel = relative(workDir, configPath);
  if (!/\s/.test(rel)) return rel;
  const dir = join(tmp, 'trainyard-configs');
  const link = join(dir, `${runId}${extname(configPath) || '.yaml'}`);
  if (/\s/.test(link)) {
    throw new Error(
      `The run's config path has spaces (${configPath}), which LLaMA-Factory's torchrun launch splits apart. Use a Trainyard data folder without spaces (TRAINYARD_DATA_DIR).`,
    );
  }
  mkdirSync(dir, { recursive: true });
  rmSync(link, { force: true });
  symlinkSync(configPath, link);
  return link;
}

export function writeRunDir(runDir: string, configYaml: string): string {
  mkdirSync(runDir, { recursive: true });
  const configPath = join(runDir, 'config.yaml');
  writeFileSync(configPath, configYaml);
  return configPath;
}

/** Trainyard's own resources in every place they live: the installation's (source tree or app) and the data folder's copy. */
export function ownResourceDirs(ctx: { resourcesDir: string; runtime?: { resourcesDir: string } }): string[] {
  return [...new Set([ctx.resourcesDir, ...(ctx.runtime ? [ctx.runtime.resourcesDir] : [])])];
}
