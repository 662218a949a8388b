/** The data folder holds configs, logs, the database and the webhook URL: private to the user (folder 700, files 600), also when an older version made them readable. */
import { chmodSync, closeSync, existsSync, mkdirSync, openSync, readdirSync, statSync } from 'node:fs';
import { join } from 'node:path';

/** Creates the folder 700 (missing parents too). */
export function ensurePrivateDir(dir: string): void {
  mkdirSync(dir, { recursive: true, mode: 0o700 });
}

/**
 * The data folder: created 700, or tightened when an older version left it readable by others. Only a folder that is
 * clearly Trainyard's (empty, or holding trainyard.db) and not a shared sticky folder like /tmp is ever changed, so a
 * --data-dir pointed somewhere unusual never changes the permissions of someone else's folder.
 */
export function ensurePrivateDataDir(dir: string): void {
  ensurePrivateDir(dir);
  try {
    const st = statSync(dir);
    const ours = existsSync(join(dir, 'trainyard.db')) || readdirSync(dir).length === 0;
    if (ours && (st.mode & 0o1000) === 0 && st.uid === process.getuid?.()) tighten(dir, 0o700);
  } catch {
    // Unreadable: opening the database right after says what is wrong.
  }
}

/** Creates the file 600 when it does not exist yet (SQLite gives its -wal and -shm files the same mode), else tightens it. */
export function ensurePrivateFile(file: string): void {
  try {
    closeSync(openSync(file, 'a', 0o600));
  } catch {
    // Unwritable: the caller's own open reports it with a better message.
    return;
  }
  tighten(file, 0o600);
}

function tighten(path: string, mode: number): void {
  try {
    if ((statSync(path).mode & 0o077) !== 0) chmodSync(path, mode);
  } catch {
    // Not ours to change (another owner): leave it; the open that follows says what is wrong if anything is.
  }
}
