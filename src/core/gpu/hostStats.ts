/** The host's CPU load and memory (/proc/stat, /proc/meminfo), sampled beside the GPUs so the board shows the whole machine. */
import type { HostStats } from '../../shared/types/gpu.js';
import { readBounded } from './procInfo.js';

export interface CpuTimes {
  idle: number;
  total: number;
}

/** The aggregate "cpu " line: idle = idle + iowait; total = every field (user nice system idle iowait irq softirq steal). */
export function parseCpuTimes(text: string): CpuTimes | null {
  const line = text.split('\n').find((l) => l.startsWith('cpu '));
  if (!line) return null;
  const v = line.trim().split(/\s+/).slice(1, 9).map(Number);
  if (v.length < 4 || v.some((n) => !Number.isFinite(n))) return null;
  return { idle: v[3]! + (v[4] ?? 0), total: v.reduce((a, b) => a + b, 0) };
}

/** MemTotal and MemAvailable (kB) → MiB; used = total − available, as free(1) and nvitop count it. */
export function parseMeminfo(text: string): { totalMiB: number; usedMiB: number } | null {
  const kb = (key: string) => {
    const m = new RegExp(`^${key}:\\s+(\\d+) kB`, 'm').exec(text);
    return m ? Number(m[1]) : null;
  };
  const total = kb('MemTotal');
  const avail = kb('MemAvailable');
  if (total === null || avail === null) return null;
  return { totalMiB: Math.round(total / 1024), usedMiB: Math.round((total - avail) / 1024) };
}

/** CPU % is a rate: each sample compares with the previous one (the first has none, so its CPU figure is null). */
export function createHostSampler(procRoot = '/proc'): { sample(): HostStats | null } {
  let prev: CpuTimes | null = null;
  return {
    sample() {
      const cpu = parseCpuTimes(readBounded(`${procRoot}/stat`, 64 * 1024) ?? '');
      const mem = parseMeminfo(readBounded(`${procRoot}/meminfo`, 16 * 1024) ?? '');
      if (!cpu && !mem) return null;
      let cpuPct: number | null = null;
      if (cpu && prev && cpu.total > prev.total) cpuPct = Math.round((1 - (cpu.idle - prev.idle) / (cpu.total - prev.total)) * 1000) / 10;
      if (cpu) prev = cpu;
      return { cpuPct, memUsedMiB: mem?.usedMiB ?? null, memTotalMiB: mem?.totalMiB ?? null };
    },
  };
}
