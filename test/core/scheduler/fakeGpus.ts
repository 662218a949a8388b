/** Idle 80 GiB H100s for scheduler tests, indexed 0..n-1 with uuids GPU-<i>. */
import type { GpuInfo } from '../../../src/shared/types/gpu.js';

const G = 1024;

export function idleH100s(indices: number[]): GpuInfo[] {
  return indices.map((i) => ({
    index: i, uuid: `GPU-${i}`, name: 'H100', vendor: 'nvidia', pciBusId: null, driverVersion: null,
    memoryTotalMiB: 80 * G, memoryUsedMiB: 0, memoryFreeMiB: 80 * G, utilizationGpuPct: 0, utilizationMemoryPct: 0,
    temperatureC: 30, powerDrawW: 50, powerLimitW: 700, clockSmMHz: null, clockMemMHz: null, pstate: null, computeMode: null, migMode: null,
  }));
}
