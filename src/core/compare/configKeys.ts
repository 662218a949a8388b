/** Flattens a run's config copy (YAML) into comparable key/value pairs and finds the keys whose values differ. */
import { readFileSync, statSync } from 'node:fs';
import { parse } from 'yaml';
import type { ConfigValue } from '../../shared/types/compare.js';

/** Keys every run has its own value for by construction; comparing them would flag every run as "different". */
const IGNORED = new Set(['output_dir', 'run_name', 'logging_dir']);

/** Numbers written as `2.0e-3` or `1e-4` parse as strings in YAML 1.2 core; LLaMA-Factory reads them as floats. */
function normalise(v: unknown): ConfigValue {
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
    else out[key] = normalise(v);
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

const cache = new Map<string, { key: string; config: Record<string, ConfigValue>; error: string | null }>();

/** Reads and flattens a config copy, cached by mtime+size; an unreadable file yields an error text, never a throw. */
export function readConfig(path: string): { config: Record<string, ConfigValue>; error: string | null } {
  let key: string;
  try {
    const st = statSync(path);
    key = `${st.mtimeMs}:${st.size}`;
  } catch {
    return { config: {}, error: `The config copy is missing (${path}).` };
  }
  const hit = cache.get(path);
  if (hit && hit.key === key) return hit;
  let entry: { key: string; config: Record<string, ConfigValue>; error: string | null };
  try {
    entry = { key, config: parseConfigText(readFileSync(path, 'utf8')), error: null };
  } catch (e) {
    entry = { key, config: {}, error: `Cannot read the config copy: ${(e as Error).message.split('\n')[0]}` };
  }
  if (cache.size > 20_000) cache.clear();
  cache.set(path, entry);
  return entry;
}

/** Every key of the configs, sorted, and those whose value is not identical in all of them (absent counts as a value). */
export function diffConfigs(configs: Record<string, ConfigValue>[]): { keys: string[]; differing: string[] } {
  const keys = new Set<string>();
  for (const c of configs) for (const k of Object.keys(c)) keys.add(k);
  const sorted = [...keys].sort();
  const differing = sorted.filter((k) => {
    if (configs.length < 2) return false;
    const first = configs[0]![k];
    const firstHas = k in configs[0]!;
    return configs.some((c) => (k in c) !== firstHas || c[k] !== first);
  });
  return { keys: sorted, differing };
}
