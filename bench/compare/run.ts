/** Compare benchmark: 500 runs × 20,000 points in a real store; table and curve query times, then table + 20-run overlay render in Chromium. */
import { mkdirSync, mkdtempSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { performance } from 'node:perf_hooks';
import { EventBus } from '../../src/core/bus.js';
import { createCompareDomain } from '../../src/core/compare/compareDomain.js';
import type { CoreContext } from '../../src/core/context.js';
import type { RunSupervisor } from '../../src/core/runs/supervisorApi.js';
import { openDb } from '../../src/core/store/db.js';
import { RunsRepo } from '../../src/core/store/runsRepo.js';
import { launchBrowser, startServe } from '../../test/e2e/harness.js';

const RUNS = Number(process.env.BENCH_RUNS ?? 500);
const POINTS = Number(process.env.BENCH_POINTS ?? 20_000);
const work = mkdtempSync(join(tmpdir(), 'trainyard-bench-cmp-'));
const dataDir = join(work, 'data');
mkdirSync(dataDir, { recursive: true });
const ms = (t0: number) => `${(performance.now() - t0).toFixed(0)} ms`;

const db = openDb(join(dataDir, 'trainyard.db'));
const runs = new RunsRepo(db);
let t0 = performance.now();
const insert = db.prepare('INSERT INTO metric_points (run_id, seq, step, segment, at, elapsed_s, loss, eval_loss, lr, epoch, total_tokens) VALUES (?,?,?,?,?,?,?,?,?,?,?)');
const fill = db.transaction((id: string, lr: number) => {
  for (let i = 0; i < POINTS; i++) {
    const loss = 2.5 * Math.exp(-i / (POINTS / 3)) + 0.3 + 0.05 * Math.sin(i / 7) + lr * 100;
    insert.run(id, i, i + 1, 0, 1_700_000_000_000 + i * 1000, i, loss, i % 500 === 499 ? loss + 0.1 : null, lr, i / 5000, (i + 1) * 2048);
  }
});
for (let r = 0; r < RUNS; r++) {
  const id = `run-${String(r).padStart(3, '0')}`;
  const out = join(work, id);
  mkdirSync(out);
  const lr = [1e-4, 2e-4, 5e-4][r % 3]!;
  writeFileSync(join(out, 'config.yaml'), `model_name_or_path: base\nlearning_rate: ${lr}\nlora_rank: ${[8, 16][r % 2]}\ncutoff_len: 1024\ndataset: d\n`);
  writeFileSync(join(out, 'all_results.json'), JSON.stringify({ train_loss: 0.5, eval_loss: 0.6, train_runtime: 3600 }));
  runs.save({
    id, name: id, kind: 'train', taskId: `task-${r % 10}`, sweepId: `sweep-${r % 5}`, parentRunId: null, status: 'finished', gpuIndices: [r % 8],
    gpuUuids: [`GPU-${r % 8}`], outputDir: out, runDir: out, configPath: join(out, 'config.yaml'), workDir: work, argv: [], env: {}, masterPort: null,
    pid: null, holderPid: null, exitCode: 0, signal: null, failure: null, estimateMiB: 20000, peakMiB: 18000, progress: null, tags: [], notes: '',
    createdAt: 1_700_000_000_000 + r, startedAt: 1_700_000_000_000, endedAt: 1_700_000_000_000 + POINTS * 1000,
  });
  fill(id, lr);
}
console.log(`seed: ${RUNS} runs × ${POINTS} points = ${(RUNS * POINTS).toLocaleString()} rows in ${ms(t0)}`);

const supervisor: RunSupervisor = {
  launch: () => Promise.reject(new Error('bench')),
  stop: () => Promise.reject(new Error('bench')),
  get: (id) => runs.get(id),
  list: () => runs.list(),
  active: () => runs.active(),
  onChange: () => () => undefined,
  runIdForPid: () => null,
};
const ctx = { db, bus: new EventBus(), paths: {} as never, host: 'serve', resourcesDir: '', settings: () => ({}) as never, env: {} } as CoreContext;
const d = createCompareDomain(ctx, { runs: supervisor });
const call = (m: string, p: unknown) => (d.handlers as Record<string, (p: unknown, c: unknown) => unknown>)[m]!(p, {});
t0 = performance.now();
call('compare.table', {});
console.log(`compare.table cold (folds every run's points into compare_summaries, parses configs/results): ${ms(t0)}`);
for (let i = 0; i < 3; i++) {
  t0 = performance.now();
  const t = call('compare.table', {}) as { rows: unknown[]; differingKeys: string[] };
  console.log(`compare.table warm #${i + 1}: ${ms(t0)} (${t.rows.length} rows, differing: ${t.differingKeys.join(', ')})`);
}
const ids = Array.from({ length: Math.min(20, RUNS) }, (_, i) => `run-${String(Math.floor((i * RUNS) / 20)).padStart(3, '0')}`);
for (let i = 0; i < 3; i++) {
  t0 = performance.now();
  const c = call('compare.curves', { runIds: ids, metric: 'loss', maxPoints: 1500 }) as { points: unknown[] }[];
  console.log(`compare.curves 20 runs → ${c[0]!.points.length} points each (LTTB of ${POINTS}): ${ms(t0)}`);
}
t0 = performance.now();
const csv = call('compare.exportCsv', {}) as { csv: string };
console.log(`compare.exportCsv: ${ms(t0)} (${(csv.csv.length / 1024).toFixed(0)} KiB)`);
db.close();

// Render in Chromium against the real serve host, as a user sees it.
const serve = await startServe({ dataDir });
const browser = await launchBrowser();
try {
  const page = await browser.newPage({ viewport: { width: 1440, height: 900 } });
  await page.goto(serve.url);
  t0 = performance.now();
  await page.getByTestId('nav-compare').click();
  await page.locator('[data-testid="compare-row"]').nth(RUNS - 1).waitFor({ state: 'attached', timeout: 120_000 });
  console.log(`render: table of ${RUNS} runs visible after ${ms(t0)} (includes the table query)`);
  t0 = performance.now();
  const boxes = page.getByTestId('compare-select');
  for (let i = 0; i < Math.min(20, RUNS); i++) await boxes.nth(i).check();
  await page.waitForFunction(`document.querySelectorAll('[data-testid="compare-chart"] .recharts-line').length === ${Math.min(20, RUNS)}`, undefined, { timeout: 120_000 });
  console.log(`render: overlay of 20 runs drawn after ${ms(t0)} (20 selections, each refetching curves)`);
  t0 = performance.now();
  await page.getByTestId('compare-axis').selectOption('time');
  await page.waitForFunction(`document.querySelector('[data-testid="compare-chart"]')?.textContent?.includes('Time (s)')`);
  console.log(`render: switch x-axis to time: ${ms(t0)}`);
} finally {
  await browser.close();
  await serve.stop();
}
