/** HF Trainer's trainer_state.json: its log_history as metric records (the full history of a finished run or checkpoint). */
import { type MetricRecord, recordFromFields } from './record.js';

export function parseTrainerState(text: string): { records: MetricRecord[]; warnings: string[] } {
  let obj: unknown;
  try {
    obj = JSON.parse(text);
  } catch {
    return { records: [], warnings: ['trainer_state.json is not valid JSON.'] };
  }
  const state = obj as { log_history?: unknown; max_steps?: unknown };
  if (!state || !Array.isArray(state.log_history)) return { records: [], warnings: ['trainer_state.json has no log_history.'] };
  const total = typeof state.max_steps === 'number' ? state.max_steps : null;
  const records: MetricRecord[] = [];
  for (const entry of state.log_history as Record<string, unknown>[]) {
    if (!entry || typeof entry !== 'object') continue;
    const r = recordFromFields(entry);
    r.totalSteps = total;
    records.push(r);
  }
  return { records, warnings: [] };
}

export const looksLikeTrainerState = (head: string): boolean => head.trimStart().startsWith('{') && head.includes('"log_history"');
