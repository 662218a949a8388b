/**
 * `npm run package:linux`: AppImage + deb into release/. An explicit step, never part of install or CI: it needs
 * internet (electron-builder downloads Electron and its AppImage/deb tools; the SQLite driver is built for Electron's
 * ABI once, into build-electron/). node_modules keeps Node's builds, so tests and `serve` need no rebuild afterwards.
 */
import { spawnSync } from 'node:child_process';
import { join } from 'node:path';
import { root } from './lib.mjs';

const run = (cmd, args) => {
  console.log(`\n$ ${cmd} ${args.join(' ')}`);
  const r = spawnSync(cmd, args, { stdio: 'inherit', cwd: root });
  if (r.status !== 0) process.exit(r.status ?? 1);
};

if (process.platform !== 'linux') {
  console.error('Trainyard packages for Linux only (the engine needs /proc, Unix sockets and SIGABRT): see README.');
  process.exit(1);
}
run('npm', ['run', '-s', 'build:electron']);
// Fails with the reason (and packs nothing) when no Electron build of better-sqlite3 can be made.
run(process.execPath, [join(root, 'scripts', 'native-electron.mjs')]);
run('npx', ['electron-builder', '--linux', ...process.argv.slice(2)]);
console.log('\nDone: see release/.');
