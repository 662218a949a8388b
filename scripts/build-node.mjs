/** Compiles the Node side (shared, core, server, cli) to out/node with tsc and copies non-TS assets (e.g. the run holder). */
import { spawnSync } from 'node:child_process';
import { cpSync, existsSync, readdirSync, statSync } from 'node:fs';
import { dirname, join, relative } from 'node:path';
import { fileURLToPath } from 'node:url';

const root = join(dirname(fileURLToPath(import.meta.url)), '..');
const tsc = join(root, 'node_modules', 'typescript', 'bin', 'tsc');
const r = spawnSync(process.execPath, [tsc, '-p', join(root, 'tsconfig.build.json')], { stdio: 'inherit' });
if (r.status !== 0) process.exit(r.status ?? 1);

// Plain JS files that run as their own processes (tsc does not copy them).
const copyExt = new Set(['.mjs', '.cjs']);
function walk(dir) {
  for (const name of readdirSync(dir)) {
    const p = join(dir, name);
    if (statSync(p).isDirectory()) walk(p);
    else if (copyExt.has(name.slice(name.lastIndexOf('.')))) {
      const dest = join(root, 'out', 'node', relative(root, p));
      cpSync(p, dest);
    }
  }
}
if (existsSync(join(root, 'src'))) walk(join(root, 'src'));
