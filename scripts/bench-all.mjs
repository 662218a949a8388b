/** `npm run bench`: runs every benchmark under bench/ in turn and prints their figures (never pass/fail). */
import { readdirSync, existsSync } from 'node:fs';
import { join } from 'node:path';
import { root, run } from './lib.mjs';

const only = process.argv.slice(2);
for (const name of readdirSync(join(root, 'bench')).sort()) {
  const entry = join(root, 'bench', name, 'run.ts');
  if (!existsSync(entry) || (only.length && !only.includes(name))) continue;
  console.log(`\n=== bench/${name} ===`);
  run('npx', ['tsx', entry]);
}
