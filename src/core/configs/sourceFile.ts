/** The user's own config file behind a task: read with a content hash, and written back atomically only if nobody changed it since. */
import { createHash } from 'node:crypto';
import { chmodSync, renameSync, statSync, unlinkSync, writeFileSync } from 'node:fs';
import { basename, dirname, join } from 'node:path';
import { RpcError } from '../../shared/rpc/protocol.js';
import { BoundedReadError, readRegularFileSync } from '../util/boundedRead.js';

/** The same cap as an import (tasks.import takes files up to 2 MB). */
const MAX_BYTES = 2_000_000;

export const hashText = (text: string): string => createHash('sha256').update(text, 'utf8').digest('hex');

export interface SourceText {
  path: string;
  text: string;
  hash: string;
}

export function readSource(path: string): SourceText {
  try {
    const text = readRegularFileSync(path, MAX_BYTES).toString('utf8');
    return { path, text, hash: hashText(text) };
  } catch (e) {
    const why = e instanceof BoundedReadError ? e.message : String(e);
    throw new RpcError('not_found', `Cannot read the config file: ${why}.`);
  }
}

/**
 * Writes `text` over the file if its content still hashes to `expectedHash` (what the editor loaded): otherwise someone
 * (an editor, git) changed it and saving would silently drop their change, so it refuses and says so. The new content
 * goes to a temporary file beside it, then replaces it with one rename: a crash leaves the old file or the new one.
 */
export function writeSource(path: string, text: string, expectedHash: string): SourceText {
  const now = readSource(path);
  if (now.hash !== expectedHash) {
    throw new RpcError('conflict', `${basename(path)} changed on disk since the editor loaded it. Reload it (your edits stay in the editor to copy) or save again after reviewing the difference.`);
  }
  const mode = statSync(path).mode & 0o7777;
  const tmp = join(dirname(path), `.${basename(path)}.trainyard-${process.pid}-${Date.now()}.tmp`);
  try {
    writeFileSync(tmp, text, { encoding: 'utf8', flag: 'wx', mode });
    chmodSync(tmp, mode);
    renameSync(tmp, path);
  } catch (e) {
    try {
      unlinkSync(tmp);
    } catch {
      // Never created.
    }
    throw new RpcError('bad_request', `Could not write ${path}: ${(e as NodeJS.ErrnoException).code ?? String(e)}.`);
  }
  return { path, text, hash: hashText(text) };
}
