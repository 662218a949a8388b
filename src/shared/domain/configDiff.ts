/** Which config keys differ between runs, by their effective values: a key a run does not set has LLaMA-Factory's default, so "missing" equals "set to the default". Used by the engine's table and by the renderer's live updates. */
import type { ConfigValue } from '../types/compare.js';

/** The value a run trains with: its own, else the catalogue default (undefined when neither is known). */
export function effectiveValue(config: Record<string, ConfigValue>, key: string, defaults: Record<string, ConfigValue>): ConfigValue | undefined {
  return key in config ? config[key] : key in defaults ? defaults[key] : undefined;
}

/** Every key of the configs, sorted, and those whose effective value is not the same in all of them. */
export function diffConfigs(configs: Record<string, ConfigValue>[], defaults: Record<string, ConfigValue> = {}): { keys: string[]; differing: string[] } {
  const keys = new Set<string>();
  for (const c of configs) for (const k of Object.keys(c)) keys.add(k);
  const sorted = [...keys].sort();
  if (configs.length < 2) return { keys: sorted, differing: [] };
  const differing = sorted.filter((k) => {
    const first = effectiveValue(configs[0]!, k, defaults);
    return configs.some((c) => effectiveValue(c, k, defaults) !== first);
  });
  return { keys: sorted, differing };
}
