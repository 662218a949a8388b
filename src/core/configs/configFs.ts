/** File look-ups the validator and estimator need (injected, so they stay pure), and where a model reference points. */
import { existsSync, readdirSync } from 'node:fs';
import { homedir } from 'node:os';
import { isAbsolute, join, resolve } from 'node:path';
import { readTextOrWhy, textOf, type TextOrWhy } from '../util/boundedRead.js';

/** dataset_info.json, a model's config.json, a DeepSpeed JSON: LLaMA-Factory's own registry is ~40 KB. */
const MAX_LOOKUP_BYTES = 32 * 1024 * 1024;

export interface ConfigFs {
  exists(path: string): boolean;
  /** The text, or why not: a pipe or device named dataset_info.json is not "missing", and the user must hear which. */
  read(path: string): TextOrWhy;
  list(dir: string): string[];
  home: string;
  /** The Hugging Face hub cache (HF_HUB_CACHE, else $HF_HOME/hub, else ~/.cache/huggingface/hub). */
  hfHubCache: string;
  /** Windows paths only make sense on Windows. */
  platform: NodeJS.Platform;
}

export function hfHubCache(env: NodeJS.ProcessEnv, home = homedir()): string {
  if (env.HF_HUB_CACHE) return env.HF_HUB_CACHE;
  if (env.HUGGINGFACE_HUB_CACHE) return env.HUGGINGFACE_HUB_CACHE;
  return join(env.HF_HOME ?? join(env.XDG_CACHE_HOME ?? join(home, '.cache'), 'huggingface'), 'hub');
}

export function nodeConfigFs(env: NodeJS.ProcessEnv = process.env): ConfigFs {
  const home = env.HOME ?? homedir();
  return {
    exists: (p) => existsSync(p),
    // Paths come from configs (dataset_dir, deepspeed, model folders): regular files only, and bounded.
    read: (p) => readTextOrWhy(p, MAX_LOOKUP_BYTES),
    list: (d) => {
      try {
        return readdirSync(d);
      } catch {
        return [];
      }
    },
    home,
    hfHubCache: hfHubCache(env, home),
    platform: process.platform,
  };
}

export type ModelRef =
  | { kind: 'path'; path: string }
  | { kind: 'hub'; id: string }
  | { kind: 'foreign'; path: string };

/** Relative paths resolve against workDir (the trainer's cwd); `~` against home. */
export function resolveIn(workDir: string, value: string, fs: ConfigFs): string {
  if (value === '~' || value.startsWith('~/')) return join(fs.home, value.slice(1));
  return isAbsolute(value) ? value : resolve(workDir, value);
}

/** A path (./ ../ / ~, or something that exists), a Windows path on another OS, or a hub id like `org/name`. */
export function classifyModelRef(value: string, workDir: string, fs: ConfigFs): ModelRef {
  const v = value.trim();
  if (fs.platform !== 'win32' && (/^[A-Za-z]:[\\/]/.test(v) || v.includes('\\'))) return { kind: 'foreign', path: v };
  if (/^(\.{1,2}[\\/]|[\\/]|~)/.test(v)) return { kind: 'path', path: resolveIn(workDir, v, fs) };
  const local = resolveIn(workDir, v, fs);
  if (fs.exists(local)) return { kind: 'path', path: local };
  if (/^[\w.-]+(\/[\w.-]+)?$/.test(v)) return { kind: 'hub', id: v };
  return { kind: 'path', path: local };
}

/** The cached snapshot folder of a hub model (refs/main first, else any snapshot), or null. */
export function hubSnapshot(id: string, fs: ConfigFs): string | null {
  const base = join(fs.hfHubCache, `models--${id.replace(/\//g, '--')}`);
  if (!fs.exists(base)) return null;
  const ref = textOf(fs.read(join(base, 'refs', 'main')))?.trim();
  if (ref && fs.exists(join(base, 'snapshots', ref))) return join(base, 'snapshots', ref);
  const snaps = fs.list(join(base, 'snapshots'));
  return snaps.length ? join(base, 'snapshots', snaps[0]!) : base;
}

/** The model's config.json as parsed JSON (local folder or hub cache), or null. */
export function readModelConfig(value: string, workDir: string, fs: ConfigFs): Record<string, unknown> | null {
  const ref = classifyModelRef(value, workDir, fs);
  const dir = ref.kind === 'path' ? ref.path : ref.kind === 'hub' ? hubSnapshot(ref.id, fs) : null;
  if (!dir) return null;
  const text = textOf(fs.read(join(dir, 'config.json')));
  if (!text) return null;
  try {
    const v = JSON.parse(text) as unknown;
    return v && typeof v === 'object' ? (v as Record<string, unknown>) : null;
  } catch {
    return null;
  }
}
