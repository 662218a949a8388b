/** Benchmark: CPU per hour of 8-GPU telemetry — the engine's monitor idle (no page, no run) and active (a page open, runs live) vs one nvidia-smi spawn per second. */
import { spawnSync } from 'node:child_process';
import { readFileSync } from 'node:fs';
import { dirname, join, resolve } from 'node:path';
import { fileURLToPath } from 'node:url';
import { DEFAULT_TOOL_TIMEOUT_MS, queryGpuArgs } from '../../src/core/gpu/detect.js';
import { Monitor } from '../../src/core/gpu/monitor.js';
import { cpuSecondsOf } from '../../src/core/gpu/processTree.js';
import { runTool } from '../../src/core/gpu/runTool.js';
import { parseQueryGpuCsv } from '../../src/core/gpu/smiCsv.js';
import { StreamParser } from '../../src/core/gpu/streamParser.js';

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

/**
 * The engine's own monitor. Idle: nobody follows the GPUs and nothing runs or waits. Active: a page is open and a run
 * lives (the process list is asked on memory changes and a 30 s heartbeat). CPU = this process + the live stream child
 * + every reaped child (detection, process queries).
 */
async function monitorWay(active: boolean): Promise<Result> {
  let samples = 0;
  const m = new Monitor({ env: { ...env, TRAINYARD_NVIDIA_SMI: tool }, intervalMs: () => INTERVAL });
  m.setDemand(() => active);
  if (active) m.viewer(1);
  await m.start();
  // Steady state only: detection (one spawn at start) is not what an engine costs per hour.
  while (m.streamPid === null) await sleep(100);
  await sleep(2000);
  const stream = m.streamPid;
  const streamBefore = cpuSecondsOf(stream, hz) ?? 0;
  const ownBefore = own();
  const kidsBefore = reapedChildren();
  m.onSnapshot((t) => {
    if (t.gpus.length === GPUS && t.source === 'nvidia-smi') samples++;
  });
  await sleep(seconds * 1000);
  // Read the child's CPU while it is still alive (after exit /proc/<pid> is gone).
  const toolS = (cpuSecondsOf(stream, hz) ?? streamBefore) - streamBefore + reapedChildren() - kidsBefore;
  const engineS = own() - ownBefore;
  await m.stop();
  return { name: active ? 'engine, active: a page open, runs live' : 'engine, idle: no page, nothing runs', samples, engineS, toolS, spawns: 1 };
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
const idle = await monitorWay(false);
const a = await monitorWay(true);
const b = await pollWay();
const parse = parseOnly();

const rows = [idle, a, b].map((r) => ({
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
const pct = (r: Result) => (((r.engineS + r.toolS) / seconds) * 100).toFixed(2);
console.log(`\nspawn-per-second / idle engine   = ${((b.engineS + b.toolS) / (idle.engineS + idle.toolS)).toFixed(1)}× the CPU (${pct(b)}% vs ${pct(idle)}% of one core)`);
console.log(`spawn-per-second / active engine = ${((b.engineS + b.toolS) / (a.engineS + a.toolS)).toFixed(1)}× the CPU (${pct(b)}% vs ${pct(a)}% of one core)`);
console.log(`parsing alone: ${(parse * 1000).toFixed(0)} ms CPU for one hour of 8-GPU lines (3600 ticks)`);
