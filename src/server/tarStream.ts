/** A streamed ustar archive of one folder's regular files (an adapter, a checkpoint): no recursion, no symlinks followed, bounded in count, read one file at a time. */
import { constants } from 'node:fs';
import { lstat, open, readdir } from 'node:fs/promises';
import { join } from 'node:path';
import { Readable } from 'node:stream';

/** More files than this in one adapter or checkpoint folder is not a model folder: refuse rather than stream forever. */
export const TAR_MAX_FILES = 2000;
const BLOCK = 512;
const CHUNK = 1024 * 1024;

export interface TarEntry {
  name: string;
  path: string;
}

/**
 * The regular files directly in `dir`, sorted, whose names fit a ustar header (100 bytes, printable). Symlinks,
 * folders (a checkpoint inside an output folder, TensorBoard's runs/), FIFOs and devices are left out: a link could
 * point anywhere on the machine. Null when `dir` is not a real folder; an error when it holds too many files.
 */
export async function folderEntries(dir: string): Promise<TarEntry[] | null> {
  try {
    if (!(await lstat(dir)).isDirectory()) return null;
  } catch {
    return null;
  }
  const names = (await readdir(dir)).sort();
  const out: TarEntry[] = [];
  for (const name of names) {
    // A name with control characters could rewrite what a terminal shows when the archive is listed.
    // eslint-disable-next-line no-control-regex
    if (Buffer.byteLength(name) > 100 || /[\x00-\x1f]/.test(name)) continue;
    const path = join(dir, name);
    try {
      if (!(await lstat(path)).isFile()) continue;
    } catch {
      continue;
    }
    out.push({ name, path });
    if (out.length > TAR_MAX_FILES) throw new Error(`More than ${TAR_MAX_FILES} files in ${dir}.`);
  }
  return out;
}

/** An octal field, or base-256 (GNU, read by every tar in use) for a size past ustar's 8 GiB. */
function numeric(buf: Buffer, offset: number, length: number, value: number): void {
  const octal = value.toString(8);
  if (octal.length < length) {
    buf.write(octal.padStart(length - 1, '0') + '\0', offset, length, 'ascii');
    return;
  }
  buf[offset] = 0x80;
  let v = value;
  for (let i = offset + length - 1; i > offset; i--) {
    buf[i] = v % 256;
    v = Math.floor(v / 256);
  }
}

export function tarHeader(prefix: string, name: string, size: number, mtimeSec: number): Buffer {
  const h = Buffer.alloc(BLOCK);
  h.write(name, 0, 100, 'utf8');
  numeric(h, 100, 8, 0o644);
  numeric(h, 108, 8, 0);
  numeric(h, 116, 8, 0);
  numeric(h, 124, 12, size);
  numeric(h, 136, 12, Math.max(0, Math.floor(mtimeSec)));
  h.fill(0x20, 148, 156);
  h.write('0', 156, 1, 'ascii');
  h.write('ustar\x0000', 257, 8, 'ascii');
  h.write(prefix, 345, 155, 'utf8');
  let sum = 0;
  for (const b of h) sum += b;
  h.write(sum.toString(8).padStart(6, '0') + '\0 ', 148, 8, 'ascii');
  return h;
}

/**
 * The archive as a stream: each file is opened without following a link at its last component, checked to be a
 * regular file again (it may have been swapped since the listing), and exactly the size its header promised is
 * written, zero-padded if it shrank meanwhile. A file that vanished is left out.
 */
export function tarFolder(folderName: string, entries: readonly TarEntry[]): Readable {
  const prefix = folderName.slice(0, 155);
  async function* chunks(): AsyncGenerator<Buffer> {
    for (const e of entries) {
      let fh;
      try {
        fh = await open(e.path, constants.O_RDONLY | constants.O_NONBLOCK | constants.O_NOFOLLOW);
      } catch {
        continue;
      }
      try {
        const st = await fh.stat();
        if (!st.isFile()) continue;
        yield tarHeader(prefix, e.name, st.size, st.mtimeMs / 1000);
        let left = st.size;
        let pos = 0;
        while (left > 0) {
          const buf = Buffer.allocUnsafe(Math.min(CHUNK, left));
          const { bytesRead } = await fh.read(buf, 0, buf.length, pos);
          if (bytesRead <= 0) {
            yield Buffer.alloc(left);
            break;
          }
          pos += bytesRead;
          left -= bytesRead;
          yield buf.subarray(0, bytesRead);
        }
        const pad = (BLOCK - (st.size % BLOCK)) % BLOCK;
        if (pad) yield Buffer.alloc(pad);
      } finally {
        await fh.close();
      }
    }
    yield Buffer.alloc(BLOCK * 2);
  }
  return Readable.from(chunks(), { objectMode: false });
}
