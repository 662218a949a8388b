/** Reads an access token from a file: a regular file, small, and (as a secret) not readable by other users. */
import { closeSync, constants, fstatSync, openSync, readSync } from 'node:fs';
import type { CliIo } from './args.js';

const MAX_TOKEN_FILE_BYTES = 4096;

export function readTokenFile(path: string, io: Pick<CliIo, 'err'>): string {
  let fd: number;
  try {
    // O_NONBLOCK: a FIFO given by mistake must not hang the start-up; it is refused below as not a regular file.
    fd = openSync(path, constants.O_RDONLY | constants.O_NONBLOCK);
  } catch (e) {
    throw new Error(`Cannot read the token file ${path}: ${(e as NodeJS.ErrnoException).code ?? String(e)}.`, { cause: e });
  }
  try {
    const st = fstatSync(fd);
    if (!st.isFile()) throw new Error(`The token file ${path} is not a regular file.`);
    if (st.size > MAX_TOKEN_FILE_BYTES) throw new Error(`The token file ${path} is larger than ${MAX_TOKEN_FILE_BYTES} bytes: it should hold one line.`);
    if ((st.mode & 0o077) !== 0) io.err(`WARNING: ${path} can be read by other users; run: chmod 600 ${path}\n`);
    const buf = Buffer.alloc(MAX_TOKEN_FILE_BYTES);
    const n = readSync(fd, buf, 0, buf.length, 0);
    return buf.subarray(0, n).toString('utf8').trim();
  } finally {
    closeSync(fd);
  }
}
