/** One engine per data folder: a lock file holding the owner's pid, created atomically (link) and taken over only from a dead owner. */
import { randomBytes } from 'node:crypto';
import { linkSync, readFileSync, rmSync, statSync, unlinkSync, writeFileSync } from 'node:fs';
import { dirname } from 'node:path';
import { ensurePrivateDataDir } from './privateFiles.js';

export function pidAlive(pid: number): boolean {
  try {
    process.kill(pid, 0);
    return true;
  } catch (e) {
    return (e as NodeJS.ErrnoException).code === 'EPERM';
  }
}

/** A lock of unreadable content younger than this may be an older Trainyard still writing it: not taken over yet. */
const UNREADABLE_GRACE_MS = 5_000;
/** A takeover mutex this old belongs to an engine that died while taking over. */
const TAKEOVER_STALE_MS = 10_000;

const sleepSync = (ms: number) => Atomics.wait(new Int32Array(new SharedArrayBuffer(4)), 0, 0, ms);

type Owner = { kind: 'gone' } | { kind: 'unreadable'; text: string; ageMs: number } | { kind: 'owner'; text: string; pid?: number; what?: string };

function readOwner(path: string): Owner {
  let text: string;
  let ageMs: number;
  try {
    text = readFileSync(path, 'utf8');
    ageMs = Date.now() - statSync(path).mtimeMs;
  } catch {
    return { kind: 'gone' };
  }
  try {
    const o = JSON.parse(text) as { pid?: unknown; what?: unknown };
    if (typeof o.pid === 'number') return { kind: 'owner', text, pid: o.pid, what: typeof o.what === 'string' ? o.what : undefined };
  } catch {
    // Falls through: not a lock this version wrote.
  }
  return { kind: 'unreadable', text, ageMs };
}

/** Creates `target` as a hard link to the already complete `tmp`: atomic, and fails with EEXIST when taken. */
function tryLink(tmp: string, target: string): boolean {
  try {
    linkSync(tmp, target);
    return true;
  } catch (e) {
    if ((e as NodeJS.ErrnoException).code === 'EEXIST') return false;
    throw e;
  }
}

/**
 * Two engines on one database would both schedule the same queue onto the same GPUs, so the second one refuses to
 * start and says who holds the folder. The lock is written in full to a private temp file and then linked into place,
 * so no engine ever sees a half-written lock; a lock whose owner is dead is replaced under a second, short-lived
 * takeover lock, so two engines that both find the same dead owner cannot both take over.
 */
export function acquireEngineLock(path: string, what: string): () => void {
  // The lock sits in the data folder: taking it is the first thing an engine does there.
  ensurePrivateDataDir(dirname(path));
  const tmp = `${path}.${process.pid}.${randomBytes(4).toString('hex')}`;
  writeFileSync(tmp, JSON.stringify({ pid: process.pid, what, since: Date.now() }), { mode: 0o600, flag: 'wx' });
  try {
    for (let attempt = 0; attempt < 200; attempt++) {
      if (tryLink(tmp, path)) return releaser(path);
      const owner = readOwner(path);
      if (owner.kind === 'gone') continue;
      if (owner.kind === 'owner' && owner.pid !== process.pid && owner.pid !== undefined && pidAlive(owner.pid)) {
        throw new Error(
          `Another Trainyard engine (${owner.what ?? 'unknown'}, pid ${owner.pid}) is already using this data folder. ` +
            'Use that one, stop it, or choose another folder with --data-dir / TRAINYARD_DATA_DIR.',
        );
      }
      if (owner.kind === 'unreadable' && owner.ageMs < UNREADABLE_GRACE_MS) {
        if (attempt >= 100) throw new Error(`Another Trainyard engine is being started on this data folder (${path} is being written).`);
        sleepSync(20);
        continue;
      }
      if (takeOver(path, tmp, owner.text)) return releaser(path);
      sleepSync(20);
    }
    throw new Error(`Could not take the engine lock at ${path}: other engines keep starting on this data folder.`);
  } finally {
    rmSync(tmp, { force: true });
  }
}

/** Replaces a dead owner's lock, holding the takeover mutex; false when someone else got there first. */
function takeOver(path: string, tmp: string, deadText: string): boolean {
  const mutex = `${path}.takeover`;
  if (!tryLink(tmp, mutex)) {
    try {
      if (Date.now() - statSync(mutex).mtimeMs > TAKEOVER_STALE_MS) unlinkSync(mutex);
    } catch {
      // Released meanwhile.
    }
    return false;
  }
  try {
    const now = readOwner(path);
    // Only the very lock judged dead is removed: if it changed, a live engine may have just taken the folder.
    if (now.kind !== 'gone' && now.text !== deadText) return false;
    rmSync(path, { force: true });
    return tryLink(tmp, path);
  } finally {
    rmSync(mutex, { force: true });
  }
}

function releaser(path: string): () => void {
  return () => {
    try {
      const owner = JSON.parse(readFileSync(path, 'utf8')) as { pid?: number };
      if (owner.pid === process.pid) rmSync(path, { force: true });
    } catch {
      // Already gone: nothing to release.
    }
  };
}
