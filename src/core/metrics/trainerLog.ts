/** LLaMA-Factory's trainer_log.jsonl (LogCallback): one JSON object per line, any of its historical formats. */
import { type MetricRecord, recordFromFields } from './record.js';

export type LineResult = { record: MetricRecord } | { warning: string } | null;

/** Parses one complete line. Blank → null; not JSON (LFS pointer, garbage) → a warning, never a throw. */
export function parseTrainerLogLine(line: string): LineResult {
  const text = line.trim();
  if (!text) return null;
  if (text.startsWith('version https://git-lfs')) {
    return { warning: 'trainer_log.jsonl is a Git LFS pointer, not the log itself (run `git lfs pull`).' };
  }
  if (!text.startsWith('{')) return { warning: `Not a trainer_log line: ${text.slice(0, 80)}` };
  let obj: unknown;
  try {
    obj = JSON.parse(text);
  } catch {
    try {
      // Python's json.dumps writes NaN/Infinity bare, which JSON.parse rejects: quote them so the value survives as NaN.
      // Only lines that failed pay for the rewrite.
      obj = JSON.parse(text.replace(/:\s*(-?Infinity|NaN)(?=\s*[,}])/g, ': "$1"'));
    } catch {
      return { warning: `Unreadable trainer_log line: ${text.slice(0, 80)}` };
    }
  }
  if (!obj || typeof obj !== 'object' || Array.isArray(obj)) return { warning: `Not a trainer_log object: ${text.slice(0, 80)}` };
  const record = recordFromFields(obj as Record<string, unknown>);
  if (record.step === null) return { warning: `trainer_log line without current_steps: ${text.slice(0, 80)}` };
  return { record };
}

/** True when the text looks like trainer_log.jsonl (first non-blank line is an object with current_steps). */
export function looksLikeTrainerLog(head: string): boolean {
  const first = head.split('\n').find((l) => l.trim());
  return !!first && first.trim().startsWith('{') && first.includes('"current_steps"');
}
