/** Measured GPU memory of each run, from process attribution: its peak per GPU is stored for calibration and Compare. */
import type { GpuSnapshot } from '../../shared/types/gpu.js';
import type { RunsRepo } from '../store/runsRepo.js';

/**
 * A run's memory on one card is the sum of its processes there (torchrun workers, dataloaders); its peak is the largest
 * such sum over cards and time — per GPU, like the estimate it is compared with. Only increases are written.
 */
export function trackPeakMemory(repo: Pick<RunsRepo, 'raisePeak'>, onSnapshot: (listener: (s: GpuSnapshot) => void) => () => void): () => void {
  const peaks = new Map<string, number>();
  return onSnapshot((snap) => {
    const perCard = new Map<string, number>();
    for (const p of snap.processes) {
      if (!p.runId || p.usedMemoryMiB == null) continue;
      const key = `${p.runId}\u0000${p.gpuUuid}`;
      perCard.set(key, (perCard.get(key) ?? 0) + p.usedMemoryMiB);
    }
    for (const [key, mib] of perCard) {
      const runId = key.slice(0, key.indexOf('\u0000'));
      if (mib <= (peaks.get(runId) ?? 0)) continue;
      peaks.set(runId, mib);
      repo.raisePeak(runId, Math.round(mib));
    }
  });
}
