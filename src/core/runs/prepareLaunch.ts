/** Turns a LaunchSpec into what runs: the run dir, the exact config copy (output_dir set, comments kept), argv and the run's own env. */
import { mkdirSync, writeFileSync } from 'node:fs';
import { isAbsolute, join, resolve } from 'node:path';
import YAML from 'yaml';
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

export interface PreparedConfig {
  yaml: string;
  outputDir: string;
  hasDeepspeed: boolean;
}

/**
 * Sets output_dir in the user's YAML without losing comments or key order. For kind 'api' (an inference server)
 * output_dir is not touched: the server writes nothing there, and the key would be rejected by the api parser.
 */
export function prepareConfig(spec: LaunchSpec, runId: string, outputsDir: string): PreparedConfig {
  // parseDocument collects errors instead of throwing.
  const doc = YAML.parseDocument(spec.configYaml);
  if (doc.errors.length) throw new Error(`The config is not valid YAML: ${doc.errors[0]!.message}`);
  const contents = doc.toJS() as unknown;
  if (contents !== null && (typeof contents !== 'object' || Array.isArray(contents))) {
    throw new Error('The config must be a YAML mapping (key: value lines).');
  }
  const hasDeepspeed = !!(contents as Record<string, unknown> | null)?.deepspeed;
  if (spec.kind === 'api') return { yaml: doc.toString(), outputDir: '', hasDeepspeed };
  let outputDir = spec.outputDir ?? join(outputsDir, `${sanitizeName(spec.name)}-${runId}`);
  if (!isAbsolute(outputDir)) outputDir = resolve(spec.workDir, outputDir);
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
}): Record<string, string> {
  const env: Record<string, string> = {
    // An empty list means the CPU "device": hide every GPU rather than leaving them all visible.
    CUDA_VISIBLE_DEVICES: opts.spec.gpuIndices.join(','),
    MASTER_PORT: String(opts.masterPort),
    PYTHONUNBUFFERED: '1',
  };
  if (opts.spec.kind !== 'api') {
    // LLAMABOARD_ENABLED installs LLaMA-Factory's SIGABRT handler (graceful stop that still saves) and running_log.txt.
    env.LLAMABOARD_ENABLED = '1';
    env.LLAMABOARD_WORKDIR = opts.outputDir;
  }
  if (opts.hasDeepspeed) env.FORCE_TORCHRUN = '1';
  return { ...env, ...(opts.spec.extraEnv ?? {}) };
}

export function writeRunDir(runDir: string, configYaml: string): string {
  mkdirSync(runDir, { recursive: true });
  const configPath = join(runDir, 'config.yaml');
  writeFileSync(configPath, configYaml);
  return configPath;
}
