/** Measured GPU memory of each run, from process attribution: its peak per GPU is stored for calibration and Compare. */
import type { GpuSnapshot } from '../../shared/types/gpu.js';
import type { Db } from '../store/db.js';

/**
 * A run's memory on one card is the sum of its processes there (torchrun workers, dataloaders); its peak is the largest
 * such sum over cards and time — per GPU, like the estimate it is compared with. Only increases are written, with one
 * conditional UPDATE, so the supervisor's own saves (which re-read the row first) never race it.
 */
export function trackPeakMemory(db: Db, onSnapshot: (listener: (s: GpuSnapshot) => void) => () => void): () => void {
  const peaks = new Map<string, number>();
  const raise = db.prepare('UPDATE runs SET peak_mib = ? WHERE id = ? AND (peak_mib IS NULL OR peak_mib < ?)');
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
      raise.run(Math.round(mib), runId, Math.round(mib));
    }
  });
}
