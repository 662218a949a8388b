/** Owner, command line and host figures from /proc, read with bounds; parsers on real text from this machine's /proc. */
import { execFileSync, spawn } from 'node:child_process';
import { mkdtempSync, readFileSync, rmSync } from 'node:fs';
import { tmpdir, userInfo } from 'node:os';
import { join } from 'node:path';
import { describe, expect, it } from 'vitest';
import { createHostSampler, parseCpuTimes, parseMeminfo } from '../../../src/core/gpu/hostStats.js';
import { createProcInfoReader, parseCmdline, parsePasswd, parseStatusUid, readBounded } from '../../../src/core/gpu/procInfo.js';

describe('process owner and command line', () => {
  it('parses status, passwd and cmdline text', () => {
    expect(parseStatusUid('Name:\tpython3\nUid:\t1000\t1000\t1000\t1000\nGid:\t1000\n')).toBe(1000);
    expect(parseStatusUid('Name: x\n')).toBeNull();
    expect([...parsePasswd('root:x:0:0:root:/root:/bin/bash\nalice:x:1000:1000::/home/alice:/bin/sh\n# comment\n')]).toEqual([
      [0, 'root'],
      [1000, 'alice'],
    ]);
    expect(parseCmdline('python3\0-m\0llamafactory.launcher\0train.yaml\0')).toBe('python3 -m llamafactory.launcher train.yaml');
    expect(parseCmdline('')).toBeNull();
  });

  it('reads a live process: its user and full command line; a gone pid gives null', async () => {
    const child = spawn('sleep', ['31'], { stdio: 'ignore' });
    try {
      const info = createProcInfoReader();
      expect(info.user(child.pid!)).toBe(userInfo().username);
      expect(info.command(child.pid!)).toBe('sleep 31');
    } finally {
      child.kill();
    }
    await new Promise((r) => child.once('exit', r));
    expect(createProcInfoReader().command(child.pid!)).toBeNull();
  });

  it('never blocks on a FIFO and cuts what it reads at the bound', () => {
    const dir = mkdtempSync(join(tmpdir(), 'ty-proc-'));
    try {
      execFileSync('mkfifo', [join(dir, 'fifo')]);
      expect(readBounded(join(dir, 'fifo'), 100)).toBeNull();
      expect(readBounded(dir, 100)).toBeNull();
      expect(readBounded('/proc/self/status', 10)).toHaveLength(10);
    } finally {
      rmSync(dir, { recursive: true, force: true });
    }
  });
});

describe('host CPU and memory', () => {
  it('parses this machine’s /proc/stat and /proc/meminfo', () => {
    const cpu = parseCpuTimes(readFileSync('/proc/stat', 'utf8'))!;
    expect(cpu.total).toBeGreaterThan(cpu.idle);
    const mem = parseMeminfo(readFileSync('/proc/meminfo', 'utf8'))!;
    expect(mem.totalMiB).toBeGreaterThan(mem.usedMiB);
    expect(parseCpuTimes('intr 1 2 3\n')).toBeNull();
    expect(parseMeminfo('MemTotal: 1000 kB\n')).toBeNull();
  });

  it('computes CPU % between two samples, from a fake /proc', () => {
    const root = mkdtempSync(join(tmpdir(), 'ty-host-'));
    try {
      const write = (stat: string) => execFileSync('sh', ['-c', `mkdir -p ${root} && printf '%s' "$1" > ${root}/stat`, 'sh', stat]);
      execFileSync('sh', ['-c', `printf 'MemTotal:       16384000 kB\\nMemFree: 1 kB\\nMemAvailable:    8192000 kB\\n' > ${root}/meminfo`]);
      write('cpu  100 0 100 800 0 0 0 0 0 0\ncpu0 1 2 3 4\n');
      const h = createHostSampler(root);
      expect(h.sample()).toEqual({ cpuPct: null, memUsedMiB: 8000, memTotalMiB: 16000 });
      // +300 busy, +100 idle → 75 %.
      write('cpu  250 0 250 900 0 0 0 0 0 0\n');
      expect(h.sample()!.cpuPct).toBe(75);
    } finally {
      rmSync(root, { recursive: true, force: true });
    }
  });
});
