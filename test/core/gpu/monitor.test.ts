/** The monitor against the nvidia-smi test double: live stream, attribution by process tree, failures → notices. */
import { spawn, type ChildProcess } from 'node:child_process';
import { mkdtempSync, readFileSync, rmSync, writeFileSync } from 'node:fs';
import { tmpdir, userInfo } from 'node:os';
import { dirname, join } from 'node:path';
import { afterEach, describe, expect, it } from 'vitest';
import type { GpuSnapshot } from '../../../src/shared/types/gpu.js';
import { Monitor, type MonitorOptions } from '../../../src/core/gpu/monitor.js';
import { repoRoot } from '../../helpers/fixtures.js';

const double = join(repoRoot, 'test/fixtures/bin/nvidia-smi');
// PATH keeps node reachable for the double's shebang, and nothing else GPU-like.
const basePath = dirname(process.execPath);

const cleanups: Array<() => unknown> = [];
afterEach(async () => {
  for (const c of cleanups.splice(0).reverse()) await c();
});

function monitor(env: Record<string, string>, extra: Partial<MonitorOptions> = {}): Monitor {
  const m = new Monitor({
    env: { PATH: basePath, TRAINYARD_NVIDIA_SMI: double, ...env },
    intervalMs: () => 200,
    appsIntervalMs: 300,
    toolTimeoutMs: 2000,
    retryBaseMs: 200,
    retryMaxMs: 400,
    ...extra,
  });
  cleanups.push(() => m.stop());
  return m;
}

function until(m: Monitor, pred: (s: GpuSnapshot) => boolean, what: string, ms = 8000): Promise<GpuSnapshot> {
  return new Promise((resolve, reject) => {
    if (pred(m.snapshot())) return resolve(m.snapshot());
    const t = setTimeout(() => {
      off();
      reject(new Error(`timed out waiting for ${what}; last snapshot: ${JSON.stringify(m.snapshot()).slice(0, 400)}`));
    }, ms);
    const off = m.onSnapshot((s) => {
      if (!pred(s)) return;
      clearTimeout(t);
      off();
      resolve(s);
    });
  });
}

function stateFile(state: object): string {
  const dir = mkdtempSync(join(tmpdir(), 'trainyard-smi-'));
  cleanups.push(() => rmSync(dir, { recursive: true, force: true }));
  const file = join(dir, 'state.json');
  writeFileSync(file, JSON.stringify(state));
  return file;
}

/** In its own process group, so the cleanup also ends what it started (a shell's children would be orphaned). */
function bg(cmd: string, args: string[], env: Record<string, string> = {}): ChildProcess {
  const c = spawn(cmd, args, { env: { ...process.env, ...env }, stdio: 'ignore', detached: true });
  cleanups.push(() => {
    try {
      process.kill(-c.pid!, 'SIGKILL');
    } catch {
      /* already gone */
    }
  });
  return c;
}

describe('Monitor with the nvidia-smi double', () => {
  it('finds the GPUs after start() (which does not wait for them) and keeps updating them from ONE long-lived stream', async () => {
    const m = monitor({ FAKE_GPUS: '4' });
    await m.start();
    // start() returns at once (the board paints from the store meanwhile): "detecting" until nvidia-smi answers.
    expect(['detecting', undefined]).toContain(m.snapshot().notice?.kind);
    await until(m, (x) => x.source === 'nvidia-smi', 'the GPUs');
    expect(m.snapshot().source).toBe('nvidia-smi');
    expect(m.snapshot().gpus.map((g) => g.name)).toEqual(Array(4).fill('NVIDIA H100 80GB HBM3'));
    expect(m.snapshot().notice).toBeNull();
    const pid = m.streamPid;
    expect(pid).toBeGreaterThan(0);
    const seen: GpuSnapshot[] = [];
    m.onSnapshot((s) => seen.push(s));
    await until(m, () => seen.length >= 4, '4 ticks');
    // Values move between ticks (the double varies power with time) and all ticks came from the same child.
    expect(new Set(seen.map((s) => s.gpus[0]!.powerDrawW)).size).toBeGreaterThan(1);
    expect(seen.every((s) => s.gpus.length === 4)).toBe(true);
    expect(m.streamPid).toBe(pid);
  });

  it('stamps each card with its compute capability (asked once), and leaves it unknown where the driver cannot say', async () => {
    const file = stateFile({ gpus: [{ name: 'Tesla V100-SXM2-32GB', memoryTotalMiB: 32768 }, { name: 'NVIDIA H100 80GB HBM3' }, { name: 'Old card', computeCap: '[N/A]' }] });
    const m = monitor({ FAKE_NVIDIA_SMI_STATE: file });
    await m.start();
    const s = await until(m, (x) => x.source === 'nvidia-smi' && x.gpus.length === 3, 'the GPUs');
    expect(s.gpus.map((g) => g.computeCap)).toEqual(['7.0', '9.0', null]);
    // Stream ticks carry it too (they do not ask for it again).
    const next = await until(m, (x) => x.at > s.at, 'a stream tick');
    expect(next.gpus[0]!.computeCap).toBe('7.0');
  });

  it('puts a process with CUDA_VISIBLE_DEVICES=2 on GPU 2 and attributes it to its run through its parent', async () => {
    // The GPU process is env's child of sh (sh itself holds no GPU memory): only sh's pid is known to the "runs domain".
    const sh = bg('/bin/sh', ['-c', 'env FAKE_GPU_MEM_MIB=3000 CUDA_VISIBLE_DEVICES=2 sleep 30 & wait']);
    const other = bg('sleep', ['30'], { FAKE_GPU_MEM_MIB: '1500', CUDA_VISIBLE_DEVICES: '0' });
    const m = monitor({ FAKE_GPUS: '4' });
    m.setPidResolver((pid) => (pid === sh.pid ? 'run-A' : null));
    await m.start();
    const s = await until(m, (x) => x.processes.length >= 2, 'two GPU processes');
    const mine = s.processes.find((p) => p.runId === 'run-A');
    expect(mine).toMatchObject({ gpuIndex: 2, usedMemoryMiB: 3000, name: 'sleep', gpuUuid: s.gpus[2]!.uuid });
    expect(mine!.pid).not.toBe(sh.pid);
    expect(s.processes.find((p) => p.pid === other.pid)).toMatchObject({ gpuIndex: 0, usedMemoryMiB: 1500, runId: null, name: 'sleep', user: userInfo().username, command: 'sleep 30' });
    expect(mine!.command).toBe('sleep 30');
    // The host's CPU and RAM ride along (CPU from the second sample on: it is a rate).
    expect(s.host?.memTotalMiB).toBeGreaterThan(0);
    expect(s.host!.memUsedMiB).toBeLessThanOrEqual(s.host!.memTotalMiB!);
    // The card's used memory includes the process.
    const later = await until(m, (x) => (x.gpus[2]!.memoryUsedMiB ?? 0) >= 3000, 'GPU 2 memory');
    expect(later.gpus[1]!.memoryUsedMiB).toBeLessThan(10);
  });

  it.each([
    ['mismatch', 'driver-mismatch', /reboot/i],
    ['nodriver', 'no-driver', /driver/i],
    ['garbage', 'garbage', /terminal/i],
    ['nodevices', 'no-devices', /CPU/],
  ])('mode %s → CPU device with a %s notice, then switches over when the GPU comes back', async (mode, kind, hint) => {
    const file = stateFile({ mode, gpus: 2 });
    const m = monitor({ FAKE_NVIDIA_SMI_STATE: file });
    await m.start();
    const s = await until(m, (x) => x.notice?.kind === kind, `${kind} notice`);
    expect(s.source).toBe('cpu');
    expect(s.gpus).toHaveLength(1);
    expect(s.gpus[0]!.vendor).toBe('cpu');
    expect(s.notice!.hint).toMatch(hint);
    writeFileSync(file, JSON.stringify({ mode: 'ok', gpus: 2 }));
    const back = await until(m, (x) => x.source === 'nvidia-smi', 'the GPUs to come back');
    expect(back.gpus).toHaveLength(2);
    expect(back.notice).toBeNull();
  });

  it('kills a hung nvidia-smi after the timeout and says so', async () => {
    const m = monitor({ FAKE_NVIDIA_SMI_MODE: 'hang' }, { toolTimeoutMs: 800, detectTimeoutMs: 800, retryBaseMs: 60_000 });
    await m.start();
    const s = await until(m, (x) => x.notice?.kind === 'timeout', 'timeout notice');
    expect(s.notice!.message).toMatch(/did not answer/);
    expect(s.gpus[0]!.vendor).toBe('cpu');
  });

  it('without nvidia-smi anywhere: not-installed, and CPU snapshots keep coming', async () => {
    const m = new Monitor({ env: { PATH: basePath }, intervalMs: () => 200, retryBaseMs: 60_000 });
    cleanups.push(() => m.stop());
    await m.start();
    expect(m.snapshot().notice).toMatchObject({ kind: 'not-installed' });
    let n = 0;
    m.onSnapshot(() => n++);
    await until(m, () => n >= 2, 'CPU ticks');
  });

  it('restarts the stream when it dies, with a new child', async () => {
    const m = monitor({ FAKE_GPUS: '2', FAKE_NVIDIA_SMI_EXIT_AFTER: '6' });
    await m.start();
    const first = m.streamPid;
    await until(m, () => m.streamPid !== null && m.streamPid !== first, 'a new stream child');
    await until(m, (x) => x.source === 'nvidia-smi' && x.gpus.length === 2, 'ticks from the new child');
  });

  it('reads lines split across pipe writes', async () => {
    const m = monitor({ FAKE_GPUS: '3', FAKE_NVIDIA_SMI_SPLIT: '1' });
    await m.start();
    let n = 0;
    m.onSnapshot((s) => {
      if (s.gpus.length === 3 && s.gpus.every((g) => g.uuid.startsWith('GPU-5eed'))) n++;
    });
    await until(m, () => n >= 3, '3 whole ticks');
  });
});

describe('idle telemetry and slow tools', () => {
  const calls = () => {
    const dir = mkdtempSync(join(tmpdir(), 'trainyard-calls-'));
    cleanups.push(() => rmSync(dir, { recursive: true, force: true }));
    const file = join(dir, 'calls.log');
    writeFileSync(file, '');
    return { file, appsQueries: () => readFileSync(file, 'utf8').split('\n').filter((l) => l.includes('--query-compute-apps')).length };
  };
  const sleep = (ms: number) => new Promise((r) => setTimeout(r, ms));

  it('asks nothing about processes while nobody looks and nothing runs, and slows its stream', async () => {
    const log = calls();
    const m = monitor({ FAKE_GPUS: '2', FAKE_NVIDIA_SMI_CALLS: log.file }, { appsIntervalMs: 300 });
    m.setDemand(() => false);
    await m.start();
    await until(m, (x) => x.source === 'nvidia-smi', 'the GPUs');
    const before = log.appsQueries();
    let ticks = 0;
    m.onSnapshot(() => ticks++);
    await sleep(2500);
    // 2.5 s at a 200 ms interval would be ~12 ticks and ~8 process queries when active.
    expect(log.appsQueries() - before).toBe(0);
    expect(ticks).toBeLessThan(4);
    expect(m.idle).toBe(true);
  });

  it('asks about processes when memory on a card changes, even between heartbeats', async () => {
    const log = calls();
    const m = monitor({ FAKE_GPUS: '2', FAKE_NVIDIA_SMI_CALLS: log.file }, { appsIntervalMs: 60_000 });
    m.setDemand(() => true);
    await m.start();
    await until(m, (x) => x.source === 'nvidia-smi', 'the GPUs');
    const sleeper = bg('sleep', ['60'], { FAKE_GPU_MEM_MIB: '4096', CUDA_VISIBLE_DEVICES: '1' });
    const s = await until(m, (x) => x.processes.some((p) => p.pid === sleeper.pid), 'the new process on card 1', 10_000);
    expect(s.processes.find((p) => p.pid === sleeper.pid)!.gpuIndex).toBe(1);
  });

  it('keeps "detecting" while a slow nvidia-smi takes its time (no persistence mode), and says how to speed it up', async () => {
    const m = monitor({ FAKE_GPUS: '2', FAKE_NVIDIA_SMI_SLOW_MS: '3000' }, { toolTimeoutMs: 1000, slowHintMs: 500 });
    await m.start();
    const waiting = await until(m, (x) => /persistence/i.test(x.notice?.hint ?? ''), 'the persistence-mode hint');
    expect(waiting.notice!.kind).toBe('detecting');
    const s = await until(m, (x) => x.source === 'nvidia-smi', 'the GPUs after the slow start', 15_000);
    expect(s.gpus).toHaveLength(2);
  });
});
