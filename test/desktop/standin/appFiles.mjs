/** Reads the app's own files the way Electron does for its main process: from inside app.asar when the app is packed. */
import asar from '@electron/asar';
import { existsSync, readFileSync, statSync } from 'node:fs';
import { join, sep } from 'node:path';

/** Splits /x/resources/app.asar/out/main/index.js into the archive and the path inside it; null outside any archive. */
export function splitAsar(path) {
  const m = /^(.*?\.asar)(?:[/\\](.*))?$/.exec(path);
  if (!m || !existsSync(m[1]) || !statSync(m[1]).isFile()) return null;
  return { archive: m[1], inner: (m[2] ?? '').split(sep).join('/') };
}

/** The archive's entry, or null when it has none by that name. `unpacked` entries live in <archive>.unpacked. */
export function asarEntry(archive, inner) {
  try {
    return asar.statFile(archive, inner, true);
  } catch {
    return null;
  }
}

/** The real file behind a path: itself, or its copy in app.asar.unpacked; null when it exists only packed (or not at all). */
export function realPath(path) {
  const s = splitAsar(path);
  if (!s) return existsSync(path) ? path : null;
  const e = asarEntry(s.archive, s.inner);
  const unpacked = join(`${s.archive}.unpacked`, s.inner);
  // Files carry the flag; a folder counts as real when electron-builder put it (and so its files) beside the archive.
  return e && (e.unpacked || ('files' in e && existsSync(unpacked))) ? unpacked : null;
}

export function appFileExists(path) {
  const s = splitAsar(path);
  return s ? asarEntry(s.archive, s.inner) !== null : existsSync(path);
}

export function readAppFile(path) {
  const s = splitAsar(path);
  if (!s) return readFileSync(path);
  const e = asarEntry(s.archive, s.inner);
  if (!e) throw Object.assign(new Error(`ENOENT: no such file in ${s.archive}: ${s.inner}`), { code: 'ENOENT' });
  return e.unpacked ? readFileSync(join(`${s.archive}.unpacked`, s.inner)) : asar.extractFile(s.archive, s.inner);
}
