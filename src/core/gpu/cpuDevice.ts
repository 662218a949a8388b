/** The CPU "device" shown when no GPU can be read, so small demo runs still have somewhere to go. */
import { cpus, freemem, loadavg, totalmem } from 'node:os';
import type { GpuInfo } from '../../shared/types/gpu.js';

export const CPU_UUID = 'CPU-0';

export function cpuDevice(): GpuInfo {
  const MiB = 2 ** 20;
  const total = Math.round(totalmem() / MiB);
  const free = Math.round(freemem() / MiB);
  const n = cpus().length || 1;
  return {
    index: 0,
    uuid: CPU_UUID,
    name: `CPU (${n} cores${cpus()[0]?.model ? `, ${cpus()[0]!.model.trim()}` : ''})`,
    vendor: 'cpu',
    pciBusId: null,
    driverVersion: null,
    memoryTotalMiB: total,
    memoryUsedMiB: total - free,
    memoryFreeMiB: free,
    // The 1-minute load over the core count is the closest thing to "utilisation" the OS offers without sampling.
    utilizationGpuPct: Math.min(100, Math.round((loadavg()[0]! / n) * 100)),
    utilizationMemoryPct: null,
    temperatureC: null,
    powerDrawW: null,
    powerLimitW: null,
    clockSmMHz: null,
    clockMemMHz: null,
    pstate: null,
    computeMode: null,
    migMode: null,
  };
}
