/** GPU domain: serves the current snapshot, history and the live sample stream. (Minimal first version: CPU device only.) */
import type { gpuMethods, gpuTopics } from '../../shared/contract/gpus.js';
import type { GpuSnapshot } from '../../shared/types/gpu.js';
import type { CoreContext } from '../context.js';
import type { Domain } from '../domain.js';
import { cpus, totalmem, freemem } from 'node:os';

export interface GpuMonitor {
  snapshot(): GpuSnapshot;
}

export function createGpuDomain(ctx: CoreContext): Domain<typeof gpuMethods, typeof gpuTopics> & { monitor: GpuMonitor } {
  const snapshot = (): GpuSnapshot => ({
    source: 'cpu',
    gpus: [
      {
        index: 0,
        uuid: 'CPU-0',
        name: cpus()[0]?.model ?? 'CPU',
        vendor: 'cpu',
        pciBusId: null,
        driverVersion: null,
        memoryTotalMiB: Math.round(totalmem() / 2 ** 20),
        memoryUsedMiB: Math.round((totalmem() - freemem()) / 2 ** 20),
        memoryFreeMiB: Math.round(freemem() / 2 ** 20),
        utilizationGpuPct: null,
        utilizationMemoryPct: null,
        temperatureC: null,
        powerDrawW: null,
        powerLimitW: null,
        clockSmMHz: null,
        clockMemMHz: null,
        pstate: null,
        computeMode: null,
        migMode: null,
      },
    ],
    processes: [],
    notice: { kind: 'not-installed', message: 'nvidia-smi was not found.', hint: 'Install the NVIDIA driver.' },
    at: Date.now(),
  });
  void ctx;
  return {
    monitor: { snapshot },
    handlers: {
      'gpus.list': () => snapshot(),
      'gpus.history': () => [],
    },
    subscriptions: {
      'gpus.snapshot': (_p, send) => {
        send(snapshot());
        const t = setInterval(() => send(snapshot()), 1000);
        return () => clearInterval(t);
      },
    },
  };
}
