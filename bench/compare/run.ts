/** Compare benchmark: 500 runs × 20,000 points in a real store; table and curve query times, then in Chromium the first table (cold, warm), DOM nodes, a live tick and a 20-run overlay. */
import { mkdirSync, mkdtempSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { performance } from 'node:perf_hooks';
import { EventBus } from '../../src/core/bus.js';
import { createCompareDomain } from '../../src/core/compare/compareDomain.js';
import type { CoreContext } from '../../src/core/context.js';
import type { RunSupervisor } from '../../src/core/runs/supervisorApi.js';
import { openDb } from '../../src/core/store/db.js';
import { createRunsRepo } from '../../src/core/store/runsRepo.js';
import { connectApi, launchBrowser, startServe } from '../../test/e2e/harness.js';
import { sourceTreeRuntime } from '../../test/helpers/runtime.js';

const RUNS = Number(process.env.BENCH_RUNS ?? 500);
const POINTS = Number(process.env.BENCH_POINTS ?? 20_000);
const work = mkdtempSync(join(tmpdir(), 'trainyard-bench-cmp-'));
const dataDir = join(work, 'data');
mkdirSync(dataDir, { recursive: true });
const ms = (t0: number) => `${(performance.now() - t0).toFixed(0)} ms`;

const db = openDb(join(dataDir, 'trainyard.db'));
const runs = createRunsRepo(db);
let t0 = performance.now();
// Straight into the compact store (schema 8: one integer run key per row, metric_points is a view over it).
const runKey = db.prepare('INSERT INTO metric_runs (run_id) VALUES (?)');
const insert = db.prepare('INSERT INTO metric_rows (run_key, seq, step, segment, at, elapsed_s, loss, eval_loss, lr, epoch, total_tokens) VALUES (?,?,?,?,?,?,?,?,?,?,?)');
const fill = db.transaction((id: string, lr: number) => {
  const key = Number(runKey.run(id).lastInsertRowid);
  for (let i = 0; i < POINTS; i++) {
    const loss = 2.5 * Math.exp(-i / (POINTS / 3)) + 0.3 + 0.05 * Math.sin(i / 7) + lr * 100;
    insert.run(key, i, i + 1, 0, 1_700_000_000_000 + i * 1000, i, loss, i % 500 === 499 ? loss + 0.1 : null, lr, i / 5000, (i + 1) * 2048);
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
const ctx = { db, bus: new EventBus(), paths: {} as never, host: 'serve', runtime: sourceTreeRuntime(), resourcesDir: '', settings: () => ({}) as never, env: {} } as CoreContext;
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

// Render in Chromium against the real serve host, as a user sees it. The table is windowed (only rows in view are in
// the DOM), so "shown" means its own total (aria-rowcount) is every run plus the header and its first rows are drawn.
const serve = await startServe({ dataDir });
const api = await connectApi(serve);
const browser = await launchBrowser();
const sleep = (n: number) => new Promise((r) => setTimeout(r, n));
const median = (xs: number[]) => [...xs].sort((a, b) => a - b)[Math.floor(xs.length / 2)]!;
try {
  // The page's CSP forbids eval, which Playwright's string predicates use; bypassing it changes nothing measured.
  const page = await browser.newPage({ viewport: { width: 1440, height: 900 }, bypassCSP: true });
  // Main-thread busy time (Chromium's TaskDuration: scripts, style, layout, paint), independent of how long we wait.
  const cdp = await page.context().newCDPSession(page);
  await cdp.send('Performance.enable');
  const busyMs = async () => ((await cdp.send('Performance.getMetrics')).metrics.find((m) => m.name === 'TaskDuration')?.value ?? 0) * 1000;
  const nodes = () => page.evaluate<number>("document.getElementsByTagName('*').length");
  const shown = `document.querySelector('[data-testid="compare-table"]')?.getAttribute('aria-rowcount') === '${RUNS + 1}' && document.querySelectorAll('[data-testid="compare-row"]').length > 0`;
  await page.goto(serve.url);
  await page.getByTestId('board-view').waitFor({ timeout: 60_000 });

  t0 = performance.now();
  await page.getByTestId('nav-compare').click();
  await page.waitForFunction(shown, undefined, { timeout: 120_000, polling: 16 });
  console.log(`render: first table, engine just started (summaries in SQLite, configs not yet read by it): ${ms(t0)} (includes the table query)`);
  await page.getByTestId('nav-board').click();
  await page.getByTestId('board-view').waitFor();
  const warm: number[] = [];
  for (let i = 0; i < 3; i++) {
    await page.getByTestId('nav-board').click();
    await page.getByTestId('board-view').waitFor();
    t0 = performance.now();
    await page.getByTestId('nav-compare').click();
    await page.waitForFunction(shown, undefined, { timeout: 120_000, polling: 16 });
    warm.push(performance.now() - t0);
  }
  console.log(`render: first table again (warm engine), median of 3: ${median(warm).toFixed(0)} ms`);
  const rowsInDom = await page.locator('[data-testid="compare-row"]').count();
  console.log(`DOM: ${await nodes()} nodes in the whole page with the table of ${RUNS} runs shown (${rowsInDom} rows in the DOM)`);
  await page.getByTestId('compare-table-wrap').evaluate((el) => (el.scrollTop = el.scrollHeight));
  await page.locator(`[data-testid="compare-row"][aria-rowindex="${RUNS + 1}"]`).waitFor({ state: 'attached', timeout: 30_000 });
  console.log(`scrolled to the end: row ${RUNS} drawn; ${await nodes()} nodes`);
  // Back to the top, scrolled right so the tags column (the last) is drawn: the tick below is seen there.
  await page.getByTestId('compare-table-wrap').evaluate((el) => {
    el.scrollTop = 0;
    el.scrollLeft = el.scrollWidth;
  });
  await page.locator('[data-testid="compare-row"][aria-rowindex="2"]').waitFor({ state: 'attached' });
  await page.locator('[data-testid="compare-row"] td.tags').first().waitFor({ state: 'attached', timeout: 30_000 });

  // One live tick: a run changes (here its tags, through the same runs.changed → compare.rows path a live run's
  // progress takes), the page refetches that row after its 1 s batch and re-renders. Busy time over a 2 s window,
  // minus the same window with nothing happening.
  const WINDOW = 2000;
  const idle: number[] = [];
  for (let i = 0; i < 3; i++) {
    const b = await busyMs();
    await sleep(WINDOW);
    idle.push((await busyMs()) - b);
  }
  const ticks: number[] = [];
  const ids = await page.locator('[data-testid="compare-row"]').evaluateAll((rows) => rows.slice(0, 8).map((r) => r.getAttribute('data-run-id')!));
  for (const [i, id] of ids.entries()) {
    const b = await busyMs();
    await api.call('runs.update', { id, tags: [`tick-${i}`] });
    await sleep(WINDOW);
    ticks.push((await busyMs()) - b - median(idle));
    await page.locator(`[data-run-id="${id}"]`).filter({ hasText: `tick-${i}` }).waitFor({ state: 'attached', timeout: 30_000 });
  }
  console.log(`live tick (one run changes → its row refetched and re-rendered): ${median(ticks).toFixed(1)} ms main-thread busy, median of ${ticks.length} (idle ${median(idle).toFixed(1)} ms per ${WINDOW} ms subtracted); ${await nodes()} nodes`);

  t0 = performance.now();
  const boxes = page.getByTestId('compare-select');
  const selectTicks: number[] = [];
  for (let i = 0; i < Math.min(20, RUNS); i++) {
    const b = await busyMs();
    await boxes.nth(i).check();
    await page.waitForFunction(`document.querySelectorAll('[data-testid="compare-chart"] .recharts-line').length === ${i + 1}`, undefined, { timeout: 120_000, polling: 100 });
    selectTicks.push((await busyMs()) - b);
  }
  console.log(`render: overlay of 20 runs drawn after ${ms(t0)} (20 selections, each fetching its curve); main-thread busy per selection median ${median(selectTicks).toFixed(0)} ms (table row + chart of up to 20 × 1,500 points); ${await nodes()} nodes`);
  t0 = performance.now();
  await page.getByTestId('compare-axis').selectOption('time');
  await page.waitForFunction(`document.querySelector('[data-testid="compare-chart"]')?.textContent?.includes('Time (s)')`);
  console.log(`render: switch x-axis to time: ${ms(t0)}`);
} finally {
  api.close();
  await browser.close();
  await serve.stop();
}
