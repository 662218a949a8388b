/** Reads a file named by a user (a config, a dataset registry, a results file, a test file) only when it is a regular file and not larger than a cap: a FIFO would block the engine, a device would never end. */
import { closeSync, constants, fstatSync, openSync, readSync } from 'node:fs';
import { open } from 'node:fs/promises';

/** Why a bounded read refused a path. */
export type ReadFailure = 'missing' | 'not-regular' | 'too-large' | 'unreadable';

export class BoundedReadError extends Error {
  constructor(
    readonly reason: ReadFailure,
    message: string,
  ) {
    super(message);
    this.name = 'BoundedReadError';
  }
}

const FLAGS = constants.O_RDONLY | constants.O_NONBLOCK;

function fail(path: string, e: unknown): never {
  const code = (e as NodeJS.ErrnoException).code;
  if (code === 'ENOENT') throw new BoundedReadError('missing', `${path} does not exist`);
  throw new BoundedReadError('unreadable', `cannot read ${path}: ${code ?? String(e)}`);
}

const mb = (n: number) => `${Math.round(n / 1024 / 1024)} MB`;

/**
 * The whole file, synchronously (validation runs synchronously and reads small files). O_NONBLOCK makes even the open
 * of a FIFO return at once; fstat on the open descriptor then decides, so nothing can be swapped in between.
 */
export function readRegularFileSync(path: string, maxBytes: number): Buffer {
  let fd: number;
  try {
    fd = openSync(path, FLAGS);
  } catch (e) {
    fail(path, e);
  }
  try {
    const st = fstatSync(fd);
    if (!st.isFile()) throw new BoundedReadError('not-regular', `${path} is not a regular file (a folder, pipe, device or socket)`);
    if (st.size > maxBytes) throw new BoundedReadError('too-large', `${path} is larger than ${mb(maxBytes)}`);
    const buf = Buffer.allocUnsafe(st.size);
    let done = 0;
    while (done < buf.length) {
      const n = readSync(fd, buf, done, buf.length - done, done);
      if (n <= 0) break;
      done += n;
    }
    return buf.subarray(0, done);
  } catch (e) {
    if (e instanceof BoundedReadError) throw e;
    fail(path, e);
  } finally {
    closeSync(fd);
  }
}

/** The same off the event loop (the thread pool does the reading). */
export async function readRegularFile(path: string, maxBytes: number): Promise<Buffer> {
  let fh;
  try {
    fh = await open(path, FLAGS);
  } catch (e) {
    fail(path, e);
  }
  try {
    const st = await fh.stat();
    if (!st.isFile()) throw new BoundedReadError('not-regular', `${path} is not a regular file (a folder, pipe, device or socket)`);
    if (st.size > maxBytes) throw new BoundedReadError('too-large', `${path} is larger than ${mb(maxBytes)}`);
    const buf = Buffer.allocUnsafe(st.size);
    const { bytesRead } = await fh.read(buf, 0, buf.length, 0);
    return buf.subarray(0, bytesRead);
  } catch (e) {
    if (e instanceof BoundedReadError) throw e;
    fail(path, e);
  } finally {
    await fh.close();
  }
}

/** The text of a small regular file, or why it was not read (a message can then tell a pipe from a missing file). */
export type TextOrWhy = { text: string } | { why: ReadFailure };

export function readTextOrWhy(path: string, maxBytes: number): TextOrWhy {
  try {
    return { text: readRegularFileSync(path, maxBytes).toString('utf8') };
  } catch (e) {
    return { why: e instanceof BoundedReadError ? e.reason : 'unreadable' };
  }
}

/** The text, or null for any reason it was not read (look-ups that treat "absent" alike). */
export const textOf = (r: TextOrWhy): string | null => ('text' in r ? r.text : null);

/** The text of a small regular file, or null when it is missing, odd or too large. */
export function readTextOrNull(path: string, maxBytes: number): string | null {
  return textOf(readTextOrWhy(path, maxBytes));
}
