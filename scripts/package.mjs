/**
 * Packages the desktop app. Explicit step, never part of install or CI: the native modules (better-sqlite3,
 * node-pty) are rebuilt for Electron's ABI here, which needs internet for Electron's headers (STACK.md).
 * Afterwards run `npm rebuild better-sqlite3 node-pty` to get the Node-ABI builds back for tests and `serve`.
 */
import { spawnSync } from 'node:child_process';

const run = (cmd, args) => {
  console.log(`\n$ ${cmd} ${args.join(' ')}`);
  const r = spawnSync(cmd, args, { stdio: 'inherit' });
  if (r.status !== 0) process.exit(r.status ?? 1);
};

run('npm', ['run', 'build']);
run('npx', ['electron-vite', 'build']);
run('npx', ['electron-builder', 'install-app-deps']);
run('npx', ['electron-builder', '--linux', ...process.argv.slice(2)]);
console.log('\nDone: see release/. Now restore the Node builds for tests: npm rebuild better-sqlite3 node-pty');
