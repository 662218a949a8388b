/** Start-up benchmark: what the first route downloads (gzip/brotli) against the whole renderer, and the time from starting `serve` to a painted board in Chromium, with a fast and a slow nvidia-smi side by side. */
import { readdirSync, readFileSync, statSync } from 'node:fs';
import { join } from 'node:path';
import { performance } from 'node:perf_hooks';
import { brotliCompressSync, gzipSync } from 'node:zlib';
import { launchBrowser, startServe } from '../../test/e2e/harness.js';
import { repoRoot } from '../../test/helpers/fixtures.js';

const out = join(repoRoot, 'out', 'renderer');
const ROUNDS = Number(process.env.BENCH_ROUNDS ?? 3);

// 1. Bytes: the files index.html loads before the board can paint (entry script, its modulepreloads, CSS) vs all of it.
const html = readFileSync(join(out, 'index.html'), 'utf8');
const initial = [...html.matchAll(/(?:src|href)="\.\/(assets\/[^"]+\.(?:js|css))"/g)].map((m) => m[1]!);
const all = readdirSync(join(out, 'assets')).filter((f) => /\.(js|css)$/.test(f)).map((f) => `assets/${f}`);
const size = (files: string[]) => {
  let raw = 0;
  let gz = 0;
  let br = 0;
  for (const f of files) {
    const data = readFileSync(join(out, f));
    raw += data.length;
    gz += gzipSync(data, { level: 9 }).length;
    br += brotliCompressSync(data).length;
  }
  return { raw, gz, br };
};
const kb = (n: number) => `${(n / 1024).toFixed(0)} KB`;
const first = size(initial);
const whole = size(all);
const maps = readdirSync(join(out, 'assets')).filter((f) => f.endsWith('.map'));
console.log('Renderer bundle (out/renderer):');
console.log('what                         files      raw     gzip   brotli');
console.log(`first route (board)          ${String(initial.length).padStart(5)}  ${kb(first.raw).padStart(7)}  ${kb(first.gz).padStart(7)}  ${kb(first.br).padStart(7)}`);
console.log(`whole renderer (all views)   ${String(all.length).padStart(5)}  ${kb(whole.raw).padStart(7)}  ${kb(whole.gz).padStart(7)}  ${kb(whole.br).padStart(7)}`);
console.log(`first route / whole (gzip): ${(first.gz / whole.gz).toFixed(2)}×; source maps shipped: ${maps.length} (${kb(maps.reduce((s, f) => s + statSync(join(out, 'assets', f)).size, 0))})\n`);

// 2. Time to the first board paint from `serve` start, with GPU detection fast and slow (no persistence mode).
const browser = await launchBrowser();
const paint = async (slowMs: number): Promise<{ url: number; paint: number; gpus: number }> => {
  const t0 = performance.now();
  const serve = await startServe({ env: { PATH: `${join(repoRoot, 'test/fixtures/bin')}:${process.env.PATH}`, FAKE_GPUS: '8:NVIDIA H200:143771', ...(slowMs ? { FAKE_NVIDIA_SMI_SLOW_MS: String(slowMs) } : {}) } });
  const tUrl = performance.now() - t0;
  const page = await browser.newPage({ viewport: { width: 1440, height: 900 } });
  try {
    await page.goto(serve.url);
    await page.getByTestId('board-view').waitFor();
    const tPaint = performance.now() - t0;
    await page.locator('[data-testid="gpu-card"]').nth(7).waitFor({ timeout: 60_000 });
    return { url: tUrl, paint: tPaint, gpus: performance.now() - t0 };
  } finally {
    await page.close();
    await serve.stop();
  }
};
const median = (xs: number[]) => [...xs].sort((a, b) => a - b)[Math.floor(xs.length / 2)]!;
console.log(`Start of \`serve\` → board painted in Chromium (median of ${ROUNDS}; includes Node start-up of the engine):`);
console.log('nvidia-smi first answer       URL printed   board painted   8 GPU cards shown   paint / GPUs');
for (const slow of [0, 3000]) {
  const runs = [];
  for (let i = 0; i < ROUNDS; i++) runs.push(await paint(slow));
  const u = median(runs.map((r) => r.url));
  const p = median(runs.map((r) => r.paint));
  const g = median(runs.map((r) => r.gpus));
  console.log(`${(slow ? `slow (${slow / 1000} s)` : 'fast').padEnd(28)}  ${`${u.toFixed(0)} ms`.padStart(11)}   ${`${p.toFixed(0)} ms`.padStart(13)}   ${`${g.toFixed(0)} ms`.padStart(17)}   ${(p / g).toFixed(2)}×`);
}
await browser.close();
