/** Metrics benchmark: ingest a 1,000,000-line trainer_log.jsonl into SQLite, and follow a growing file vs re-reading it all every poll (LlamaBoard). */
import { appendFileSync, createWriteStream, existsSync, mkdirSync, readFileSync, statSync, writeFileSync } from 'node:fs';
import { join } from 'node:path';
import { MetricsFollower } from '../../src/core/metrics/follower.js';
import { SourceParser } from '../../src/core/metrics/sourceParser.js';
import { createMetricsRepo } from '../../src/core/store/metricsRepo.js';
import { makeCtx, tempDataDir } from '../../test/core/runs/helpers.js';

const LINES = Number(process.env.BENCH_LINES ?? 1_000_000);
const dataDir = tempDataDir();
const ctx = makeCtx(dataDir);
const repo = createMetricsRepo(ctx.db);

const line = (i: number, total: number) =>
  JSON.stringify({ current_steps: i, total_steps: total, loss: 2 / Math.sqrt(i), lr: 1e-4 * (1 - i / total), epoch: (3 * i) / total, percentage: Math.round((i / total) * 10000) / 100, elapsed_time: '1:02:03', remaining_time: '2:03:04', throughput: 1988.08, total_tokens: i * 7000 }) + '\n';

function follower(runId: string, outputDir: string) {
  return new MetricsFollower({ runId, outputDir, consolePath: join(outputDir, 'none.log'), repo, onPoints: () => {}, onProgress: () => {} });
}

// 1. Bulk ingest.
const bulkDir = join(dataDir, 'bulk');
mkdirSync(bulkDir);
const ws = createWriteStream(join(bulkDir, 'trainer_log.jsonl'));
for (let i = 1; i <= LINES; i++) if (!ws.write(line(i, LINES))) await new Promise<void>((r) => ws.once('drain', () => r()));
await new Promise<void>((r) => ws.end(() => r()));
const size = statSync(join(bulkDir, 'trainer_log.jsonl')).size;
const rss0 = process.memoryUsage().rss;
const cpu = () => {
  const u = process.cpuUsage();
  return (u.user + u.system) / 1e6;
};
const dbBytes = () => ['', '-wal'].reduce((sum, ext) => sum + (existsSync(ctx.db.path + ext) ? statSync(ctx.db.path + ext).size : 0), 0);
const bytes0 = dbBytes();
let t = performance.now();
let c = cpu();
const n = follower('bulk', bulkDir).poll();
const ingest = (performance.now() - t) / 1000;
const ingestCpu = cpu() - c;
const rssAfter = process.memoryUsage().rss;
ctx.db.exec('PRAGMA wal_checkpoint(TRUNCATE)');
const perPoint = (dbBytes() - bytes0) / n;
// The parsing step alone, as the follower does it (4 MiB reads, byte scanner, JSON.parse for what it declines): what
// the scanner costs against the baseline above, without the series, SQLite and events.
t = performance.now();
c = cpu();
const parser = new SourceParser('trainer_log');
const whole = readFileSync(join(bulkDir, 'trainer_log.jsonl'));
let scannedRecords = 0;
for (let off = 0; off < whole.length; ) {
  const { consumed, parsed } = parser.feed(whole.subarray(off, Math.min(whole.length, off + 4 * 1024 * 1024)));
  if (consumed === 0) break;
  off += consumed;
  scannedRecords += parsed.records.length;
}
const scanOnly = (performance.now() - t) / 1000;
const scanCpu = cpu() - c;
t = performance.now();
c = cpu();
const all = readFileSync(join(bulkDir, 'trainer_log.jsonl'), 'utf8').split('\n').filter(Boolean).map((l) => JSON.parse(l) as unknown);
const parseOnly = (performance.now() - t) / 1000;
const parseCpu = cpu() - c;
console.log(`\nIngest ${LINES.toLocaleString()} lines (${(size / 1048576).toFixed(0)} MB) of trainer_log.jsonl`);
console.log('what                                   seconds    CPU-s   lines/s   ratio (CPU)');
console.log(`follower → SQLite (batched, cursor)    ${ingest.toFixed(2).padStart(7)}  ${ingestCpu.toFixed(2).padStart(7)}  ${Math.round(n / ingest).toLocaleString().padStart(9)}   ${(ingestCpu / parseCpu).toFixed(2)}x`);
console.log(`read + parse only (scanner, as engine) ${scanOnly.toFixed(2).padStart(7)}  ${scanCpu.toFixed(2).padStart(7)}  ${Math.round(scannedRecords / scanOnly).toLocaleString().padStart(9)}   ${(scanCpu / parseCpu).toFixed(2)}x`);
console.log(`baseline: read + JSON.parse only       ${parseOnly.toFixed(2).padStart(7)}  ${parseCpu.toFixed(2).padStart(7)}  ${Math.round(all.length / parseOnly).toLocaleString().padStart(9)}   1.00x`);
console.log(`engine RSS growth during ingest: ${((rssAfter - rss0) / 1048576).toFixed(0)} MiB; points stored: ${repo.count('bulk').toLocaleString()}; database ${perPoint.toFixed(0)} bytes per point`);

// 2. Following a growing file: 200 polls, 500 new lines between polls (a long run, compressed in time).
const growDir = join(dataDir, 'grow');
mkdirSync(growDir);
const file = join(growDir, 'trainer_log.jsonl');
writeFileSync(file, '');
const f = follower('grow', growDir);
const POLLS = Number(process.env.BENCH_POLLS ?? 200);
const PER = 500;
let tail = 0;
let reread = 0;
let step = 0;
for (let p = 0; p < POLLS; p++) {
  let chunk = '';
  for (let i = 0; i < PER; i++) chunk += line(++step, POLLS * PER);
  appendFileSync(file, chunk);
  let s = performance.now();
  f.poll();
  tail += performance.now() - s;
  s = performance.now();
  // What LlamaBoard does on every 2 s refresh: read the whole trainer_log.jsonl and parse every line.
  const rows = readFileSync(file, 'utf8').split('\n').filter(Boolean).map((l) => JSON.parse(l) as { loss?: number });
  void rows.at(-1);
  reread += performance.now() - s;
}
const finalMb = statSync(file).size / 1048576;
console.log(`\nFollowing a growing trainer_log.jsonl: ${POLLS} polls, +${PER} lines each, ending at ${(POLLS * PER).toLocaleString()} lines (${finalMb.toFixed(0)} MB)`);
console.log('approach                                 total ms   ms/poll   ratio');
console.log(`byte-offset tail (ours, incl. SQLite)    ${tail.toFixed(0).padStart(8)}  ${(tail / POLLS).toFixed(1).padStart(8)}   1.0x`);
console.log(`re-read whole file each poll (LlamaBoard)${reread.toFixed(0).padStart(8)}  ${(reread / POLLS).toFixed(1).padStart(8)}  ${(reread / tail).toFixed(1).padStart(5)}x`);
console.log(`(at 2 s per poll the re-read costs ${(reread / POLLS / 2000 * 100).toFixed(1)}% of a core on average, and grows with the file)`);
ctx.db.close();
