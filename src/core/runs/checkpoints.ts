/** The checkpoints of a run's output folder (`checkpoint-<step>` folders, as HF's Trainer names them): one rule for resume, chat and the run page. */
import { readdirSync, statSync } from 'node:fs';
import { join } from 'node:path';

/** checkpoint-N folder names of an output dir, oldest step first (none when the folder is missing). */
export function listCheckpoints(outputDir: string): string[] {
  if (!outputDir) return [];
  let names: string[];
  try {
    names = readdirSync(outputDir);
  } catch {
    return [];
  }
  return names
    .filter((n) => /^checkpoint-\d+$/.test(n))
    .filter((n) => {
      try {
        return statSync(join(outputDir, n)).isDirectory();
      } catch {
        return false;
      }
    })
    .sort((a, b) => Number(a.slice(11)) - Number(b.slice(11)));
}

/** The newest checkpoint's path, or null. */
export function latestCheckpoint(outputDir: string): string | null {
  const last = listCheckpoints(outputDir).at(-1);
  return last ? join(outputDir, last) : null;
}
