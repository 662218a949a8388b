/**
 * `npm test`: the whole suite on a fresh machine — installs what it needs, then typecheck, lint, build, unit tests,
 * browser e2e against `serve`, and the Electron smoke test (skips where no Electron binary exists).
 * Ends with one summary line: "N passed, N failed, N skipped".
 */
import { spawnSync } from 'node:child_process';
import { existsSync, mkdirSync, readFileSync } from 'node:fs';
import { join } from 'node:path';
import { ensureNativeFor, ensureNodeModules, ensureSystemPackages, root, run } from './lib.mjs';

const t0 = Date.now();
ensureSystemPackages({ forTests: true });
ensureNodeModules({ skipElectronBinary: true });
// After `npm start` opened the desktop app, the native modules are Electron's: tests need Node's.
ensureNativeFor('node');

const failures = [];
const step = (name, cmd, args) => {
  const code = run(cmd, args);
  if (code !== 0) failures.push(`${name} (exit ${code})`);
  return code;
};

step('typecheck', 'npm', ['run', '-s', 'typecheck']);
step('lint', 'npm', ['run', '-s', 'lint']);
const built = step('build', 'npm', ['run', '-s', 'build']) === 0;

mkdirSync(join(root, 'test-results'), { recursive: true });
const totals = { passed: 0, failed: 0, skipped: 0 };
const vitest = (project) => {
  const out = join(root, 'test-results', `vitest-${project}.json`);
  step(`vitest ${project}`, 'npx', ['vitest', 'run', '--project', project, '--reporter=default', '--reporter=json', `--outputFile.json=${out}`]);
  if (!existsSync(out)) return;
  const r = JSON.parse(readFileSync(out, 'utf8'));
  totals.passed += r.numPassedTests ?? 0;
  totals.failed += r.numFailedTests ?? 0;
  totals.skipped += (r.numPendingTests ?? 0) + (r.numTodoTests ?? 0);
};
vitest('unit');
// The e2e tests drive the built UI; without a build they would only repeat the build error.
if (built) vitest('e2e');

const electron = spawnSync(process.execPath, [join(root, 'test', 'electron', 'run.mjs')], { encoding: 'utf8', cwd: root });
process.stdout.write(electron.stdout + electron.stderr);
const m = /(\d+) passed, (\d+) failed(?:, (\d+) skipped)?/.exec(electron.stdout);
if (m) {
  totals.passed += Number(m[1]);
  totals.failed += Number(m[2]);
  totals.skipped += Number(m[3] ?? 0);
}
if (electron.status !== 0) failures.push('electron smoke');

const minutes = ((Date.now() - t0) / 60000).toFixed(1);
if (failures.length) console.log(`\nFailed steps: ${failures.join(', ')}`);
console.log(`\nAll tests (${minutes} min):`);
console.log(`${totals.passed} passed, ${totals.failed} failed, ${totals.skipped} skipped`);
process.exit(failures.length ? 1 : 0);
