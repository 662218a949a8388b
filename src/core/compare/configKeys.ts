/** Flattens a run's config copy (YAML) into comparable key/value pairs, cached in memory and in SQLite by the file's mtime and size. */
import { readFileSync, statSync } from 'node:fs';
import { parse } from 'yaml';
import type { ConfigValue } from '../../shared/types/compare.js';
import type { StoredConfig } from '../store/compareRepo.js';

export { diffConfigs } from '../../shared/domain/configDiff.js';

/** Keys every run has its own value for by construction; comparing them would flag every run as "different". */
const IGNORED = new Set(['output_dir', 'run_name', 'logging_dir']);

/** Numbers written as `2.0e-3` or `1e-4` parse as strings in YAML 1.2 core; LLaMA-Factory reads them as floats. */
export function normaliseConfigValue(v: unknown): ConfigValue {
  if (v === null || v === undefined) return null;
  if (typeof v === 'number' || typeof v === 'boolean') return v;
  if (typeof v === 'string') {
    const t = v.trim();
    if (/^[-+]?(\d+\.?\d*|\.\d+)([eE][-+]?\d+)?$/.test(t)) return Number(t);
    return t;
  }
  return JSON.stringify(v);
}

export function flattenConfig(data: unknown, prefix = '', out: Record<string, ConfigValue> = {}): Record<string, ConfigValue> {
  if (!data || typeof data !== 'object' || Array.isArray(data)) return out;
  for (const [k, v] of Object.entries(data as Record<string, unknown>)) {
    const key = prefix ? `${prefix}.${k}` : k;
    if (!prefix && IGNORED.has(k)) continue;
    if (v && typeof v === 'object' && !Array.isArray(v)) flattenConfig(v, key, out);
    else out[key] = normaliseConfigValue(v);
  }
  return out;
}

/** Parses config text; throws with the YAML error for a broken file. */
export function parseConfigText(text: string): Record<string, ConfigValue> {
  const data: unknown = parse(text);
  if (data !== null && data !== undefined && (typeof data !== 'object' || Array.isArray(data))) {
    throw new Error('The config is not a key: value mapping.');
  }
  return flattenConfig(data);
}

/** Where parsed configs outlive the process (the compare repo's run_configs table). */
export interface ConfigStore {
  storedConfig(path: string): StoredConfig | null;
  storeConfig(path: string, c: StoredConfig): void;
}

const memory = new Map<string, StoredConfig>();

/**
 * Reads and flattens a config copy; an unreadable file yields an error text, never a throw. Parsed once per file
 * version: memory first, then SQLite (so the first table after a restart does not parse hundreds of YAML files).
 */
export function readConfig(path: string, store?: ConfigStore): { config: Record<string, ConfigValue>; error: string | null } {
  let stamp: string;
  try {
    const st = statSync(path);
    stamp = `${st.mtimeMs}:${st.size}`;
  } catch {
    return { config: {}, error: `The config copy is missing (${path}).` };
  }
  const hit = memory.get(path);
  if (hit && hit.stamp === stamp) return hit;
  let entry = store?.storedConfig(path) ?? null;
  if (!entry || entry.stamp !== stamp) {
    try {
      entry = { stamp, config: parseConfigText(readFileSync(path, 'utf8')), error: null };
    } catch (e) {
      entry = { stamp, config: {}, error: `Cannot read the config copy: ${(e as Error).message.split('\n')[0]}` };
    }
    store?.storeConfig(path, entry);
  }
  if (memory.size > 20_000) memory.clear();
  memory.set(path, entry);
  return entry;
}
