#!/usr/bin/env node
/** `trainyard` launcher: runs the compiled CLI from out/node (built by `npm run build`). */
import { existsSync } from 'node:fs';
import { dirname, join } from 'node:path';
import { fileURLToPath, pathToFileURL } from 'node:url';

const root = join(dirname(fileURLToPath(import.meta.url)), '..');
const entry = join(root, 'out', 'node', 'src', 'cli', 'main.js');
if (!existsSync(entry)) {
  process.stderr.write(`trainyard: not built yet. Run \`npm run build\` in ${root} first.\n`);
  process.exit(1);
}
await import(pathToFileURL(entry).href);
