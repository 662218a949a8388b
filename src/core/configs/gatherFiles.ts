/** Turns import requests (paths of files or folders, or dropped contents) into candidate config files, with reasons for what is skipped. */
import { readdirSync, readFileSync, statSync, type Dirent, type Stats } from 'node:fs';
import { basename, extname, join } from 'node:path';

export interface Candidate {
  name: string;
  /** Absolute path, or null for dropped content. */
  path: string | null;
  content: string;
}

export interface Gathered {
  files: Candidate[];
  skipped: { name: string; reason: string }[];
}

const CONFIG_EXT = new Set(['.yaml', '.yml', '.json']);
export const MAX_CONFIG_BYTES = 2_000_000;

function configFilesIn(dir: string, depth: number, out: string[]): void {
  let entries: Dirent[];
  try {
    entries = readdirSync(dir, { withFileTypes: true });
  } catch {
    return;
  }
  for (const e of entries.sort((a, b) => a.name.localeCompare(b.name))) {
    if (e.name.startsWith('.')) continue;
    const p = join(dir, e.name);
    if (e.isFile() && CONFIG_EXT.has(extname(e.name).toLowerCase())) out.push(p);
    // One level down: a folder of configs often groups them (train_lora/, train_full/), deeper is usually data or outputs.
    else if (e.isDirectory() && depth > 0) configFilesIn(p, depth - 1, out);
  }
}

export function gatherPaths(paths: string[]): Gathered {
  const out: Gathered = { files: [], skipped: [] };
  for (const p of paths) {
    let st: Stats;
    try {
      st = statSync(p);
    } catch (e) {
      out.skipped.push({ name: p, reason: `cannot read it: ${(e as NodeJS.ErrnoException).code ?? String(e)}` });
      continue;
    }
    const files: string[] = [];
    if (st.isDirectory()) {
      configFilesIn(p, 1, files);
      if (files.length === 0) out.skipped.push({ name: p, reason: 'the folder has no .yaml, .yml or .json files' });
    } else if (!CONFIG_EXT.has(extname(p).toLowerCase())) {
      out.skipped.push({ name: p, reason: 'not a .yaml, .yml or .json file' });
      continue;
    } else files.push(p);
    for (const f of files) {
      try {
        if (statSync(f).size > MAX_CONFIG_BYTES) {
          out.skipped.push({ name: f, reason: 'larger than 2 MB: not a config' });
          continue;
        }
        out.files.push({ name: basename(f), path: f, content: readFileSync(f, 'utf8') });
      } catch (e) {
        out.skipped.push({ name: f, reason: `cannot read it: ${(e as NodeJS.ErrnoException).code ?? String(e)}` });
      }
    }
  }
  return out;
}

/** Files that parse but are not configs: dataset registries and DeepSpeed/accelerate settings travel in the same folders. */
export function notAConfig(data: Record<string, unknown>, knownKeys: Record<string, unknown>): string | null {
  const keys = Object.keys(data);
  if (keys.length === 0) return null;
  if ('zero_optimization' in data || 'train_micro_batch_size_per_gpu' in data) return 'a DeepSpeed config (referenced by a training config, not a task)';
  if ('compute_environment' in data || 'distributed_type' in data) return 'an accelerate/FSDP config, not a task';
  const values = Object.values(data);
  if (values.every((v) => v && typeof v === 'object' && !Array.isArray(v)) && values.some((v) => ['file_name', 'hf_hub_url', 'ms_hub_url', 'columns', 'formatting'].some((k) => k in (v as object)))) {
    return 'a dataset registry (dataset_info.json), not a task';
  }
  if (!keys.some((k) => k in knownKeys || /^(top|train|eval)\./.test(k))) return 'no LLaMA-Factory keys in it';
  return null;
}
