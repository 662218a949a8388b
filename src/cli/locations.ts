/** Where the built pieces live relative to this file, in the source tree (tsx) and in out/node. */
import { existsSync } from 'node:fs';
import { dirname, resolve } from 'node:path';
import { fileURLToPath } from 'node:url';

export function repoRoot(): string {
  let dir = dirname(fileURLToPath(import.meta.url));
  for (let i = 0; i < 6; i++) {
    if (existsSync(resolve(dir, 'package.json')) && existsSync(resolve(dir, 'resources'))) return dir;
    dir = resolve(dir, '..');
  }
  return resolve(dirname(fileURLToPath(import.meta.url)), '../..');
}

export function builtRendererDir(): string {
  return process.env.TRAINYARD_STATIC_DIR ?? resolve(repoRoot(), 'out', 'renderer');
}
