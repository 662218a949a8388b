/** console.log reads: the replay tail (cut at a line start), a byte range, and a whole-file search with escapes stripped. */
import { closeSync, createReadStream, openSync, readSync, statSync } from 'node:fs';
import { createInterface } from 'node:readline';
import { stripAnsi } from '../metrics/consoleParser.js';

export function fileSize(path: string): number {
  try {
    return statSync(path).size;
  } catch {
    return 0;
  }
}

/** Bytes [start, end) of the file (clamped); empty when missing. */
export function readRange(path: string, start: number, end: number): Buffer {
  if (end <= start) return Buffer.alloc(0);
  let fd: number;
  try {
    fd = openSync(path, 'r');
  } catch {
    return Buffer.alloc(0);
  }
  try {
    const buf = Buffer.allocUnsafe(end - start);
    let got = 0;
    while (got < buf.length) {
      const n = readSync(fd, buf, got, buf.length - got, start + got);
      if (n <= 0) break;
      got += n;
    }
    return buf.subarray(0, got);
  } finally {
    closeSync(fd);
  }
}

/**
 * The screen to replay: the last `max` bytes before `end`, starting after the first newline in that window so the
 * terminal never begins mid-line or inside an escape sequence or a UTF-8 character.
 */
export function replayTail(path: string, end: number, max = 256 * 1024): Buffer {
  const start = Math.max(0, end - max);
  const buf = readRange(path, start, end);
  if (start === 0) return buf;
  const nl = buf.indexOf(0x0a);
  return nl === -1 ? buf : buf.subarray(nl + 1);
}

/** Case-insensitive substring search over every line of the file (1-based line numbers), streaming. */
export async function searchLog(path: string, query: string, limit: number): Promise<{ line: number; text: string }[]> {
  const out: { line: number; text: string }[] = [];
  const needle = query.toLowerCase();
  let stream;
  try {
    stream = createReadStream(path, { encoding: 'utf8' });
  } catch {
    return out;
  }
  const rl = createInterface({ input: stream, crlfDelay: Infinity });
  let n = 0;
  try {
    for await (const raw of rl) {
      n++;
      // A tqdm line holds many \r-separated repaints: show the last one, which is what the terminal showed.
      const clean = stripAnsi(raw);
      if (clean.toLowerCase().includes(needle)) {
        const parts = clean.split('\r').filter((s) => s.trim());
        const text = parts.find((s) => s.toLowerCase().includes(needle)) ?? parts.at(-1) ?? '';
        out.push({ line: n, text: text.slice(0, 2000) });
        if (out.length >= limit) break;
      }
    }
  } catch (e) {
    if ((e as NodeJS.ErrnoException).code !== 'ENOENT') throw e;
  } finally {
    rl.close();
    stream.destroy();
  }
  return out;
}
