/** One engine per data folder: a lock file with the owner's pid, taken over when that process is gone. */
import { mkdirSync, openSync, readFileSync, rmSync, writeSync, closeSync } from 'node:fs';
import { dirname } from 'node:path';

export function pidAlive(pid: number): boolean {
  try {
    process.kill(pid, 0);
    return true;
  } catch (e) {
    return (e as NodeJS.ErrnoException).code === 'EPERM';
  }
}

/**
 * Two engines on one database would both schedule the same queue onto the same GPUs, so the second one refuses
 * to start and says who holds the folder. A lock left by a crashed engine (dead pid) is taken over.
 */
export function acquireEngineLock(path: string, what: string): () => void {
  mkdirSync(dirname(path), { recursive: true });
  for (let attempt = 0; attempt < 2; attempt++) {
    try {
      const fd = openSync(path, 'wx');
      writeSync(fd, JSON.stringify({ pid: process.pid, what, since: Date.now() }));
      closeSync(fd);
      return () => {
        try {
          const owner = JSON.parse(readFileSync(path, 'utf8')) as { pid?: number };
          if (owner.pid === process.pid) rmSync(path, { force: true });
        } catch {
          // Already gone: nothing to release.
        }
      };
    } catch (e) {
      if ((e as NodeJS.ErrnoException).code !== 'EEXIST') throw e;
      let owner: { pid?: number; what?: string } = {};
      try {
        owner = JSON.parse(readFileSync(path, 'utf8')) as typeof owner;
      } catch {
        // Half-written or garbage lock file: treat as stale.
      }
      if (owner.pid && owner.pid !== process.pid && pidAlive(owner.pid)) {
        throw new Error(
          `Another Trainyard engine (${owner.what ?? 'unknown'}, pid ${owner.pid}) is already using this data folder. ` +
            'Use that one, stop it, or choose another folder with --data-dir / TRAINYARD_DATA_DIR.',
          { cause: e },
        );
      }
      rmSync(path, { force: true });
    }
  }
  throw new Error(`Could not take the engine lock at ${path}.`);
}
