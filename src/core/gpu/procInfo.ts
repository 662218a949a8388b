/** Who runs a GPU process and how it was started (/proc/<pid>/status Uid, /proc/<pid>/cmdline, /etc/passwd), read with bounds. */
import { closeSync, constants, fstatSync, openSync, readSync, statSync } from 'node:fs';

/** A command line longer than this is cut: the card shows one line, the tooltip the rest. */
const CMDLINE_MAX_BYTES = 4096;
const STATUS_MAX_BYTES = 16 * 1024;
const PASSWD_MAX_BYTES = 1024 * 1024;

/**
 * Up to maxBytes of a file that must be a regular file: /proc files report size 0, so the size cannot bound the read;
 * the read itself does. O_NONBLOCK so a FIFO swapped in cannot block the engine.
 */
export function readBounded(path: string, maxBytes: number): string | null {
  let fd: number;
  try {
    fd = openSync(path, constants.O_RDONLY | constants.O_NONBLOCK);
  } catch {
    return null;
  }
  try {
    if (!fstatSync(fd).isFile()) return null;
    const buf = Buffer.allocUnsafe(maxBytes);
    let got = 0;
    while (got < maxBytes) {
      const n = readSync(fd, buf, got, maxBytes - got, null);
      if (n === 0) break;
      got += n;
    }
    return buf.subarray(0, got).toString('utf8');
  } catch {
    return null;
  } finally {
    closeSync(fd);
  }
}

/** The real uid from a status file ("Uid:\t1000\t1000\t1000\t1000"), or null. */
export function parseStatusUid(text: string): number | null {
  const m = /^Uid:\s+(\d+)/m.exec(text);
  return m ? Number(m[1]) : null;
}

/** uid → name from passwd text ("alice:x:1000:1000:…"). */
export function parsePasswd(text: string): Map<number, string> {
  const out = new Map<number, string>();
  for (const line of text.split('\n')) {
    const f = line.split(':');
    if (f.length >= 3 && f[0] && /^\d+$/.test(f[2]!)) out.set(Number(f[2]), f[0]);
  }
  return out;
}

/** cmdline's NUL-separated argv as one line; null when empty (a kernel thread, a zombie) or unreadable. */
export function parseCmdline(raw: string): string | null {
  const line = raw.split('\0').filter(Boolean).join(' ').trim();
  return line || null;
}

export interface ProcInfoReader {
  /** The login name of the process's owner (its uid when passwd does not list it), or null when it is gone. */
  user(pid: number): string | null;
  command(pid: number): string | null;
}

/** Reads /proc under procRoot; passwd is read again only when it changed (users are added rarely). */
export function createProcInfoReader(procRoot = '/proc', passwdPath = '/etc/passwd'): ProcInfoReader {
  let passwd: { mtimeMs: number; names: Map<number, string> } | null = null;
  const names = (): Map<number, string> => {
    let mtimeMs: number;
    try {
      mtimeMs = statSync(passwdPath).mtimeMs;
    } catch {
      return new Map();
    }
    if (passwd?.mtimeMs !== mtimeMs) passwd = { mtimeMs, names: parsePasswd(readBounded(passwdPath, PASSWD_MAX_BYTES) ?? '') };
    return passwd.names;
  };
  return {
    user(pid) {
      const status = readBounded(`${procRoot}/${pid}/status`, STATUS_MAX_BYTES);
      const uid = status ? parseStatusUid(status) : null;
      return uid === null ? null : (names().get(uid) ?? String(uid));
    },
    command(pid) {
      const raw = readBounded(`${procRoot}/${pid}/cmdline`, CMDLINE_MAX_BYTES);
      return raw === null ? null : parseCmdline(raw);
    },
  };
}
