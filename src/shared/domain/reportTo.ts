/** Whether a config reports to a tracker (report_to: tensorboard, a list, or "all"), as HF's TrainingArguments reads the key. */
import { parse } from 'yaml';

/** HF accepts a string, a comma-free list, "all" (every installed integration) or "none". */
export function reportsTo(config: Record<string, unknown> | null, tracker: string): boolean {
  const v = config?.report_to;
  const list = Array.isArray(v) ? v.map(String) : typeof v === 'string' ? [v] : [];
  return list.some((x) => x.trim() === tracker || x.trim() === 'all');
}

/** The same, from a config's YAML text (a broken file reports to nothing). */
export function yamlReportsTo(yaml: string, tracker: string): boolean {
  try {
    const doc = parse(yaml) as unknown;
    return reportsTo(doc && typeof doc === 'object' && !Array.isArray(doc) ? (doc as Record<string, unknown>) : null, tracker);
  } catch {
    return false;
  }
}
