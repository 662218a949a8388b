/**
 * `npm test`: the whole suite on a fresh machine — installs what it needs (the real LLaMA-Factory among it, offline),
 * then typecheck, lint, the desktop build, the Node build, unit tests (the desktop tests among them run the built app),
 * browser e2e against `serve`, the contract suite against the real LLaMA-Factory, the Slurm suite on a one-node Slurm, and the Electron smoke test (skips where no Electron binary exists). The desktop build comes first on purpose: the Node
 * tests after it prove it left Node's native modules alone. Ends with the skipped tests and why, then one line:
 * "N passed, N failed, N skipped".
 */
import { spawnSync } from 'node:child_process';
import { existsSync, mkdirSync, readFileSync } from 'node:fs';
import { join, relative } from 'node:path';
import { ensureLlamaFactory, ensureNodeModules, ensureNodeNative, ensureSystemPackages, root, run } from './lib.mjs';

const t0 = Date.now();
ensureSystemPackages({ forTests: true });
ensureNodeModules({ skipElectronBinary: true });
ensureNodeNative();
// Before the tests: the unit project's installed-key checks use it too, not only the contract suite.
const noLlamaFactory = ensureLlamaFactory();
if (noLlamaFactory) console.log(`\n! Tests of the real LLaMA-Factory will skip: ${noLlamaFactory}`);

const failures = [];
const step = (name, cmd, args) => {
  const code = run(cmd, args);
  if (code !== 0) failures.push(`${name} (exit ${code})`);
  return code;
};

step('typecheck', 'npm', ['run', '-s', 'typecheck']);
step('lint', 'npm', ['run', '-s', 'lint']);
const desktopBuilt = step('desktop build', 'npm', ['run', '-s', 'build:electron']) === 0;
const built = step('build', 'npm', ['run', '-s', 'build']) === 0 && desktopBuilt;

mkdirSync(join(root, 'test-results'), { recursive: true });
const totals = { passed: 0, failed: 0, skipped: 0 };
/** Every skipped test with where it is and why (its name says why; the Electron smoke test prints its reason). */
const skipped = [];
/** Every failed test with where it is and the first lines of its error: the summary is what a CI log's tail keeps. */
const failedTests = [];
/**
 * The first lines of a failure. Vitest's JSON report keeps no message for a test that timed out (only
 * "STACK_TRACE_ERROR" and runner frames): then say so and where the test is, not three lines of vitest internals.
 */
function failureSummary(message) {
  const lines = message.split('\n').map((l) => l.trim()).filter(Boolean);
  if (!/STACK_TRACE_ERROR/.test(lines[0] ?? '')) return lines.slice(0, 3).join(' / ');
  const at = lines.find((l) => l.startsWith('at ') && !l.includes('node_modules'));
  return `no message in the JSON report (a test that timed out leaves none; the vitest output above says why)${at ? `, ${at.replace(`${root}/`, '')}` : ''}`;
}

const vitest = (project) => {
  const out = join(root, 'test-results', `vitest-${project}.json`);
  step(`vitest ${project}`, 'npx', ['vitest', 'run', '--project', project, '--reporter=default', '--reporter=json', `--outputFile.json=${out}`]);
  if (!existsSync(out)) return;
  const r = JSON.parse(readFileSync(out, 'utf8'));
  totals.passed += r.numPassedTests ?? 0;
  totals.failed += r.numFailedTests ?? 0;
  totals.skipped += (r.numPendingTests ?? 0) + (r.numTodoTests ?? 0);
  for (const file of r.testResults ?? []) {
    for (const t of file.assertionResults ?? []) {
      if (['skipped', 'pending', 'todo'].includes(t.status)) skipped.push(`${relative(root, file.name)}: ${t.fullName ?? t.title}${t.status === 'todo' ? ' (todo)' : ''}`);
      if (t.status === 'failed') {
        const why = failureSummary(String(t.failureMessages?.[0] ?? ''));
        failedTests.push(`${relative(root, file.name)}: ${t.fullName ?? t.title}\n      ${why.slice(0, 400)}`);
      }
    }
    // A file that failed outside its tests (an import error, a timed-out hook) has no failed test of its own: it
    // still counts as one failure, so the summary line never reads "0 failed" on a red run.
    if (file.status === 'failed' && !(file.assertionResults ?? []).some((t) => t.status === 'failed')) {
      totals.failed += 1;
      failedTests.push(`${relative(root, file.name)}: the file failed\n      ${String(file.message ?? '').split('\n')[0].slice(0, 400)}`);
    }
  }
};
vitest('unit');
// The e2e tests drive the built UI; without a build they would only repeat the build error.
if (built) vitest('e2e');
// The real LLaMA-Factory as the trainer (issue 14): skips, saying why, where it cannot be set up.
vitest('contract');
// Slurm lanes through the real sbatch of a one-node Slurm (issue 16): skips, saying why, where Slurm is not installed.
vitest('slurm');

const electron = spawnSync(process.execPath, [join(root, 'test', 'electron', 'run.mjs')], { encoding: 'utf8', cwd: root });
process.stdout.write(electron.stdout + electron.stderr);
const m = /(\d+) passed, (\d+) failed(?:, (\d+) skipped)?/.exec(electron.stdout);
if (m) {
  totals.passed += Number(m[1]);
  totals.failed += Number(m[2]);
  totals.skipped += Number(m[3] ?? 0);
}
const electronSkip = /SKIPPED: (.+)/.exec(electron.stdout);
if (electronSkip) skipped.push(`test/electron/run.mjs: ${electronSkip[1]}`);
if (electron.status !== 0) failures.push('electron smoke');

const minutes = ((Date.now() - t0) / 60000).toFixed(1);
if (failures.length) console.log(`\nFailed steps: ${failures.join(', ')}`);
if (failedTests.length) console.log(`\nFailed tests (${failedTests.length}):\n${failedTests.map((s) => `  - ${s}`).join('\n')}`);
if (skipped.length) console.log(`\nSkipped (${skipped.length}):\n${skipped.map((s) => `  - ${s}`).join('\n')}`);
console.log(`\nAll tests (${minutes} min):`);
console.log(`${totals.passed} passed, ${totals.failed} failed, ${totals.skipped} skipped`);
process.exit(failures.length ? 1 : 0);
