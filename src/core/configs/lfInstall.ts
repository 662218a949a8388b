/** What is installed behind a llamafactory-cli: its Python (shebang), site-packages, package versions and source checkout. */
import { closeSync, openSync, readSync, readdirSync, realpathSync, statSync } from 'node:fs';
import { basename, dirname, isAbsolute, join, resolve } from 'node:path';
import { fileURLToPath } from 'node:url';

/** The first bytes of a regular file (never a FIFO or device), or null: these files are small, and we only need their head. */
export function readHead(path: string, maxBytes = 64 * 1024): string | null {
  let fd: number | null = null;
  try {
    const st = statSync(path);
    if (!st.isFile()) return null;
    fd = openSync(path, 'r');
    const buf = Buffer.alloc(Math.min(maxBytes, st.size));
    const n = buf.length ? readSync(fd, buf, 0, buf.length, 0) : 0;
    return buf.subarray(0, n).toString('utf8');
  } catch {
    return null;
  } finally {
    if (fd !== null) closeSync(fd);
  }
}

function list(dir: string): string[] {
  try {
    return readdirSync(dir).sort();
  } catch {
    return [];
  }
}

const isFile = (p: string) => {
  try {
    return statSync(p).isFile();
  } catch {
    return false;
  }
};

const isDir = (p: string) => {
  try {
    return statSync(p).isDirectory();
  } catch {
    return false;
  }
};

/** The interpreter a console script runs with: pip writes its absolute path in the shebang (`#!/venv/bin/python3`). */
export function cliPython(cli: string): string | null {
  const head = readHead(cli, 512);
  const m = head ? /^#!\s*(\S+)(?:[ \t]+(\S+))?/.exec(head) : null;
  if (!m) return null;
  // `#!/usr/bin/env python3` names the interpreter by PATH; the caller resolves it.
  if (basename(m[1]!) === 'env') return m[2] ?? null;
  return m[1]!;
}

/** site-packages folders of the Python at `python` (a venv, conda env or prefix: <prefix>/lib/pythonX.Y/site-packages). */
export function sitePackagesOf(python: string): string[] {
  // No realpath: a venv's bin/python is a symlink to the base interpreter, but its packages live under the venv.
  const prefix = dirname(dirname(python));
  const out: string[] = [];
  for (const lib of ['lib', 'lib64']) {
    for (const d of list(join(prefix, lib))) {
      if (/^python3\.\d+$/.test(d) && isDir(join(prefix, lib, d, 'site-packages'))) out.push(join(prefix, lib, d, 'site-packages'));
    }
  }
  if (isDir(join(prefix, 'Lib', 'site-packages'))) out.push(join(prefix, 'Lib', 'site-packages'));
  return [...new Set(out)];
}

/** `<name>-<version>.dist-info` (pip normalises the name to underscores) in one of the site-packages folders. */
export function distInfo(sitePackages: string[], name: string): { dir: string; version: string } | null {
  const norm = name.replace(/[-.]+/g, '_').toLowerCase();
  for (const sp of sitePackages) {
    for (const d of list(sp)) {
      const m = /^(.+)-([^-]+)\.dist-info$/.exec(d);
      if (m && m[1]!.replace(/[-.]+/g, '_').toLowerCase() === norm) return { dir: join(sp, d), version: m[2]! };
    }
  }
  return null;
}

/**
 * Where an installed llamafactory's source lives when it was installed from a folder: direct_url.json (PEP 610, pip
 * writes it for `pip install -e .` and `pip install .`), a setuptools `.egg-link` (`setup.py develop`), or the path
 * lines of an editable `.pth` (`__editable__.llamafactory-*.pth`, hatchling's `_editable_impl_llamafactory.pth`).
 */
export function installedSource(sitePackages: string[]): string | null {
  const dist = distInfo(sitePackages, 'llamafactory');
  if (dist) {
    const text = readHead(join(dist.dir, 'direct_url.json'));
    try {
      const url = text ? (JSON.parse(text) as { url?: unknown }).url : null;
      if (typeof url === 'string' && url.startsWith('file:')) return fileURLToPath(url);
    } catch {
      /* not JSON: fall through to the other records */
    }
  }
  for (const sp of sitePackages) {
    for (const f of list(sp)) {
      const egg = /^llamafactory\.egg-link$/i.test(f);
      const pth = /\.pth$/.test(f) && /llamafactory/i.test(f);
      if (!egg && !pth) continue;
      const line = (readHead(join(sp, f), 8192) ?? '').split(/\r?\n/).find((l) => l.trim() && !l.startsWith('import ') && !l.startsWith('#'));
      if (line && isAbsolute(line.trim()) && isDir(line.trim())) return line.trim();
    }
  }
  return null;
}

/** The nearest folder at or above `start` holding data/dataset_info.json: a LLaMA-Factory checkout, or a project laid out like one. */
export function findUpLfFolder(start: string, maxDepth = 40): string | null {
  let dir = resolve(start);
  for (let i = 0; i < maxDepth; i++) {
    if (isFile(join(dir, 'data', 'dataset_info.json'))) return dir;
    const up = dirname(dir);
    if (up === dir) return null;
    dir = up;
  }
  return null;
}

export interface FoundFolder {
  path: string;
  /** Which record led there, for the Settings page: pip's record of an editable/folder install, or the CLI's own location. */
  how: 'editable' | 'around-cli';
}

/** The LLaMA-Factory folder behind a llamafactory-cli: its editable/source install, else a checkout around the CLI itself. */
export function lfFolderNearCli(cli: string): FoundFolder | null {
  const python = cliPython(cli);
  if (python && isAbsolute(python)) {
    const src = installedSource(sitePackagesOf(python));
    const found = src ? findUpLfFolder(src, 6) : null;
    if (found) return { path: found, how: 'editable' };
  }
  // A venv inside the checkout (~/LLaMA-Factory/.venv/bin/llamafactory-cli).
  for (const start of [dirname(cli), safeRealpath(cli)].filter((p): p is string => !!p)) {
    const found = findUpLfFolder(start, 8);
    if (found) return { path: found, how: 'around-cli' };
  }
  return null;
}

function safeRealpath(p: string): string | null {
  try {
    return dirname(realpathSync(p));
  } catch {
    return null;
  }
}
