/** Benchmark: CPU per hour of 8-GPU telemetry at 1 s — one long-lived `-lms` stream vs one nvidia-smi spawn per second. */
import { spawnSync } from 'node:child_process';
import { readFileSync } from 'node:fs';
import { dirname, join, resolve } from 'node:path';
import { fileURLToPath } from 'node:url';
import { DEFAULT_TOOL_TIMEOUT_MS, queryGpuArgs } from '../../src/core/gpu/detect.js';
import { cpuSecondsOf } from '../../src/core/gpu/processTree.js';
import { runTool } from '../../src/core/gpu/runTool.js';
import { parseQueryGpuCsv } from '../../src/core/gpu/smiCsv.js';
import { StreamParser } from '../../src/core/gpu/streamParser.js';
import { TelemetryStream } from '../../src/core/gpu/telemetryStream.js';

const root = resolve(dirname(fileURLToPath(import.meta.url)), '../..');
const tool = process.env.BENCH_NVIDIA_SMI ?? join(root, 'test/fixtures/bin/nvidia-smi');
const seconds = Number(process.env.BENCH_SECONDS ?? 30);
const GPUS = 8;
const INTERVAL = 1000;
const env = { ...process.env, FAKE_GPUS: `${GPUS}:NVIDIA H200:143771` };
const hz = Number(spawnSync('getconf', ['CLK_TCK'], { encoding: 'utf8' }).stdout.trim()) || 100;

const own = () => {
  const u = process.cpuUsage();
  return (u.user + u.system) / 1e6;
};
/** CPU of children already reaped (cutime + cstime of this process). */
const reapedChildren = () => {
  const text = readFileSync('/proc/self/stat', 'utf8');
  const rest = text.slice(text.lastIndexOf(')') + 2).split(' ');
  return (Number(rest[13]) + Number(rest[14])) / hz;
};
const sleep = (ms: number) => new Promise((r) => setTimeout(r, ms));

interface Result {
  name: string;
  samples: number;
  engineS: number;
  toolS: number;
  spawns: number;
}

async function streamWay(): Promise<Result> {
  let samples = 0;
  const ownBefore = own();
  const s = new TelemetryStream(tool, INTERVAL, env, () => GPUS, {
    onTick: (t) => {
      if (t.gpus.length === GPUS) samples++;
    },
    onExit: () => {},
  });
  s.start();
  await sleep(seconds * 1000);
  // Read the child's CPU while it is still alive (after exit /proc/<pid> is gone).
  const toolS = cpuSecondsOf(s.pid!, hz) ?? NaN;
  const engineS = own() - ownBefore;
  await s.stop();
  return { name: 'engine: one `-lms 1000` stream', samples, engineS, toolS, spawns: 1 };
}

async function pollWay(): Promise<Result> {
  let samples = 0;
  let spawns = 0;
  const ownBefore = own();
  const kidsBefore = reapedChildren();
  const end = Date.now() + seconds * 1000;
  while (Date.now() < end) {
    const started = Date.now();
    const r = await runTool(tool, queryGpuArgs(), env, DEFAULT_TOOL_TIMEOUT_MS);
    spawns++;
    if (parseQueryGpuCsv(r.stdout).gpus.length === GPUS) samples++;
    await sleep(Math.max(0, INTERVAL - (Date.now() - started)));
  }
  return { name: 'baseline: spawn nvidia-smi every 1 s', samples, engineS: own() - ownBefore, toolS: reapedChildren() - kidsBefore, spawns };
}

/** Parsing alone: an hour of 8-GPU lines through the stream parser, in process. */
function parseOnly(): number {
  const lines = Array.from({ length: GPUS }, (_, i) =>
    `${i}, GPU-5eed0000-0000-4000-8000-00000000000${i}, NVIDIA H200, 00000000:18:00.0, 580.159.04, 143771, ${1000 + i}, 142771, 57, 20, 44, 412.31, 700.00, 1980, 3201, P0, Default, Disabled\n`,
  ).join('');
  let ticks = 0;
  const p = new StreamParser(() => ticks++, () => GPUS);
  const before = own();
  for (let s = 0; s < 3600; s++) p.push(lines);
  const took = own() - before;
  if (ticks !== 3600) throw new Error(`parser produced ${ticks} ticks, expected 3600`);
  return took;
}

const perHour = (cpuS: number) => (cpuS * 3600) / seconds;

console.log(`Telemetry CPU benchmark: ${GPUS} GPUs, ${INTERVAL} ms interval, ${seconds} s per method, tool ${tool}`);
const a = await streamWay();
const b = await pollWay();
const parse = parseOnly();

const rows = [a, b].map((r) => ({
  method: r.name,
  samples: String(r.samples),
  spawns: String(r.spawns),
  engine: perHour(r.engineS).toFixed(1),
  tool: perHour(r.toolS).toFixed(1),
  total: perHour(r.engineS + r.toolS).toFixed(1),
}));
const head = { method: 'method', samples: 'samples', spawns: 'spawns', engine: 'engine CPU s/h', tool: 'nvidia-smi CPU s/h', total: 'total CPU s/h' };
const keys = Object.keys(head) as Array<keyof typeof head>;
const width = keys.map((k) => Math.max(head[k].length, ...rows.map((r) => r[k].length)));
for (const r of [head, ...rows]) console.log(keys.map((k, i) => (i === 0 ? r[k].padEnd(width[i]!) : r[k].padStart(width[i]!))).join('  '));
const ratio = (b.engineS + b.toolS) / (a.engineS + a.toolS);
console.log(`\nspawn-per-second / stream = ${ratio.toFixed(1)}× the CPU (${(((b.engineS + b.toolS) / seconds) * 100).toFixed(2)}% vs ${(((a.engineS + a.toolS) / seconds) * 100).toFixed(2)}% of one core)`);
console.log(`parsing alone: ${(parse * 1000).toFixed(0)} ms CPU for one hour of 8-GPU lines (3600 ticks)`);
