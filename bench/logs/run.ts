/** Log path benchmark: a trainer writing N MB as fast as it can — straight to a file, under a bare node-pty, under script(1), and through Trainyard's holder + pty + engine (no viewer, slow viewer). */
import { spawn } from 'node:child_process';
import { closeSync, openSync, readFileSync, statSync } from 'node:fs';
import { join } from 'node:path';
import { createRunsDomain } from '../../src/core/runs/runsDomain.js';
import { commandFor, makeCtx, scriptedTrainer, spec, tempDataDir } from '../../test/core/runs/helpers.js';

const MB = Number(process.env.BENCH_MB ?? 200);
const bytes = MB * 1024 * 1024;
const dataDir = tempDataDir();
const ctx = makeCtx(dataDir);
const runs = createRunsDomain(ctx, { commandFor, metricsPollMs: 1000 });
const sup = runs.supervisor;
const yaml = `burst_bytes: ${bytes}\n`;

async function direct(): Promise<number> {
  const cfg = join(dataDir, 'direct.yaml');
  const { writeFileSync } = await import('node:fs');
  writeFileSync(cfg, yaml);
  const fd = openSync(join(dataDir, 'direct.out'), 'w');
  const t0 = performance.now();
  await new Promise((r) => spawn(process.execPath, [scriptedTrainer, 'train', cfg], { stdio: ['ignore', fd, 'inherit'] }).on('exit', r));
  closeSync(fd);
  return (performance.now() - t0) / 1000;
}

/** The same writer under a bare pty that appends every byte to a file: the floor any pty logger pays. */
async function barePty(): Promise<{ seconds: number; lost: number }> {
  const cfg = join(dataDir, 'bare.yaml');
  const { writeFileSync } = await import('node:fs');
  writeFileSync(cfg, yaml);
  const out = join(dataDir, 'bare.out');
  const t0 = performance.now();
  await new Promise((r) => spawn(process.execPath, [join(import.meta.dirname, 'barePty.mjs'), out, process.execPath, scriptedTrainer, 'train', cfg], { stdio: 'inherit' }).on('exit', r));
  return { seconds: (performance.now() - t0) / 1000, lost: lostIn(readFileSync(out)) };
}

/** util-linux script(1): the usual way to keep a terminal session's bytes. */
async function scriptCmd(): Promise<{ seconds: number; lost: number } | null> {
  const cfg = join(dataDir, 'script.yaml');
  const { writeFileSync } = await import('node:fs');
  writeFileSync(cfg, yaml);
  const out = join(dataDir, 'script.out');
  const t0 = performance.now();
  const code = await new Promise<number | null>((r) =>
    spawn('script', ['-q', '-e', '-c', `${process.execPath} ${scriptedTrainer} train ${cfg}`, out], { stdio: ['ignore', 'ignore', 'inherit'] })
      .on('exit', r)
      .on('error', () => r(null)),
  );
  if (code === null) return null;
  // script writes a "Script started…" header line before the session and a trailer after it.
  const text = readFileSync(out);
  const from = text.indexOf(0x0a) + 1;
  const trailer = text.lastIndexOf(Buffer.from('\nScript done'));
  return { seconds: (performance.now() - t0) / 1000, lost: lostIn(text.subarray(from, trailer > 0 ? trailer + 1 : text.length)) };
}

/** Bytes the writer wrote that are not in `log` (the pty turns \n into \r\n: those \r do not count). */
function lostIn(log: Buffer): number {
  let cr = 0;
  for (const b of log) if (b === 0x0d) cr++;
  const header = log.indexOf(0x0a) + 1;
  return bytes + (header - 1) - (log.length - cr);
}

async function viaPty(slowViewer: boolean): Promise<{ seconds: number; lost: number; rss: number; dropped: number }> {
  let peak = process.memoryUsage().rss;
  const sampler = setInterval(() => (peak = Math.max(peak, process.memoryUsage().rss)), 20);
  const t0 = Date.now();
  const run = await sup.launch(spec(slowViewer ? 'slow-viewer' : 'no-viewer', yaml, dataDir));
  let unsub = () => {};
  let acker: NodeJS.Timeout | null = null;
  let dropped = 0;
  if (slowViewer) {
    let owed = 0;
    unsub = runs.subscriptions['terminal.data']({ id: run.id }, (d) => (owed += d.data.length), { connectionId: 'bench', subscriptionId: 1 });
    // A viewer that renders 256 KB every 50 ms (~5 MB/s), far slower than the trainer writes.
    acker = setInterval(() => {
      const n = Math.min(owed, 256 * 1024);
      owed -= n;
      runs.handlers['terminal.ack']({ sub: 1, bytes: n }, { connectionId: 'bench' });
      dropped = Math.max(dropped, sup.hub.stats('bench:1')?.dropped ?? 0);
    }, 50);
  }
  const ended = await sup.waitForEnd(run.id, 600_000);
  const seconds = ((ended.endedAt ?? Date.now()) - t0) / 1000;
  clearInterval(sampler);
  if (acker) clearInterval(acker);
  unsub();
  const log = readFileSync(join(run.runDir, 'console.log'));
  const lost = lostIn(log);
  if (lost) console.error(`${run.id}: console.log has ${log.length} bytes; tail: ${JSON.stringify(log.subarray(-120).toString())}`);
  return { seconds, lost, rss: peak, dropped };
}

const base = await direct();
const bare = await barePty();
const script = await scriptCmd();
const none = await viaPty(false);
const slow = await viaPty(true);
const mbps = (s: number) => (MB / s).toFixed(0);
console.log(`\n${MB} MB written as fast as possible (node ${process.version}, ${statSync('/proc/self').isDirectory() ? 'linux' : process.platform})\n`);
console.log('path                         seconds   MB/s   vs file   vs bare pty   engine peak RSS   bytes lost   viewer chars dropped');
console.log(`direct to file               ${base.toFixed(2).padStart(7)}  ${mbps(base).padStart(5)}     1.00x             —                 —            —                      —`);
for (const [name, r] of [['bare node-pty → file', bare], ['script(1)', script]] as const) {
  if (!r) continue;
  console.log(`${name.padEnd(27)}  ${r.seconds.toFixed(2).padStart(7)}  ${mbps(r.seconds).padStart(5)}  ${(base / r.seconds).toFixed(2).padStart(7)}x  ${(bare.seconds / r.seconds).toFixed(2).padStart(11)}x                 —  ${String(r.lost).padStart(11)}                      —`);
}
for (const [name, r] of [['holder+pty, no viewer', none], ['holder+pty, slow viewer', slow]] as const) {
  console.log(
    `${name.padEnd(27)}  ${r.seconds.toFixed(2).padStart(7)}  ${mbps(r.seconds).padStart(5)}  ${(base / r.seconds).toFixed(2).padStart(7)}x  ${(bare.seconds / r.seconds).toFixed(2).padStart(11)}x  ${(r.rss / 1048576).toFixed(0).padStart(12)} MiB  ${String(r.lost).padStart(11)}  ${String(r.dropped).padStart(21)}`,
  );
}
sup.shutdown();
ctx.db.close();
