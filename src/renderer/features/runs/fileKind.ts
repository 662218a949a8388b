/** Classifies the files of a LLaMA-Factory output dir (LLAMAFACTORY.md §3.2) so the Files tab reads as checkpoints, adapter, results. */
import type { RunFile } from '../../../shared/contract/runs.js';

export type FileKind = 'checkpoint' | 'adapter' | 'results' | 'log' | 'plot' | 'other';

export function fileKind(f: Pick<RunFile, 'name' | 'isDir'>): FileKind {
  if (f.isDir) return /^checkpoint-\d+$/.test(f.name) ? 'checkpoint' : 'other';
  if (/^adapter_(model|config)\./.test(f.name)) return 'adapter';
  if (/_results\.json$/.test(f.name) || f.name === 'trainer_state.json') return 'results';
  if (/\.jsonl$|\.log$|^running_log\.txt$/.test(f.name)) return 'log';
  if (/\.png$/.test(f.name)) return 'plot';
  return 'other';
}
