/** How LLaMA-Factory reads a config value, for the rules core and renderer share. */

/** YAML 1/0 and true/false both count: HF's dataclass parser keeps the int and Python treats it as truthy. */
export function truthy(v: unknown): boolean {
  if (typeof v === 'string') return /^(true|yes|on|1)$/i.test(v.trim());
  return v === true || (typeof v === 'number' && v !== 0);
}
