/** A run's measured peak GPU memory comes from its attributed processes: per card, summed over its processes, only raised. */
import { mkdtempSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { describe, expect, it } from 'vitest';
import { trackPeakMemory } from '../../../src/core/runs/peakMemory.js';
import { openDb } from '../../../src/core/store/db.js';
import type { GpuProcess, GpuSnapshot } from '../../../src/shared/types/gpu.js';
import { createRunsRepo } from '../../../src/core/store/runsRepo.js';

function setup() {
  const db = openDb(join(mkdtempSync(join(tmpdir(), 'trainyard-peak-')), 'trainyard.db'));
  const insert = db.prepare(
    `INSERT INTO runs (id, name, kind, status, gpu_indices, gpu_uuids, output_dir, run_dir, config_path, work_dir, argv, env, created_at)
     VALUES (?, ?, 'train', 'running', '[0,1]', '[]', ?, '/r', '/c', '/w', '[]', '{}', 0)`,
  );
  insert.run('run_a', 'a', '/out/a');
  insert.run('run_b', 'b', '/out/b');
  let listener: ((s: GpuSnapshot) => void) | null = null;
  const stop = trackPeakMemory(createRunsRepo(db), (l) => ((listener = l), () => (listener = null)));
  const tick = (processes: Partial<GpuProcess>[]) =>
    listener?.({ source: 'nvidia-smi', gpus: [], notice: null, at: Date.now(), processes: processes as GpuProcess[] });
  const peak = (id: string) => db.prepare<{ peak_mib: number | null }>('SELECT peak_mib FROM runs WHERE id = ?').get(id)!.peak_mib;
  return { db, tick, peak, stop, listening: () => listener !== null };
}

describe('trackPeakMemory', () => {
  it('sums a run’s processes on one card, keeps the largest card, and never lowers the peak', () => {
    const { tick, peak, stop, listening } = setup();
    tick([
      { pid: 1, runId: 'run_a', gpuUuid: 'GPU-0', usedMemoryMiB: 10_000 },
      { pid: 2, runId: 'run_a', gpuUuid: 'GPU-0', usedMemoryMiB: 2_000 }, // a dataloader/worker on the same card
      { pid: 3, runId: 'run_a', gpuUuid: 'GPU-1', usedMemoryMiB: 11_000 },
      { pid: 4, runId: null, gpuUuid: 'GPU-0', usedMemoryMiB: 40_000 }, // someone else's program
    ]);
    expect(peak('run_a')).toBe(12_000);
    expect(peak('run_b')).toBeNull();
    tick([{ pid: 1, runId: 'run_a', gpuUuid: 'GPU-0', usedMemoryMiB: 5_000 }]);
    expect(peak('run_a')).toBe(12_000);
    tick([
      { pid: 1, runId: 'run_a', gpuUuid: 'GPU-0', usedMemoryMiB: 15_500 },
      { pid: 9, runId: 'run_b', gpuUuid: 'GPU-1', usedMemoryMiB: null }, // [N/A] memory is no measurement
    ]);
    expect(peak('run_a')).toBe(15_500);
    expect(peak('run_b')).toBeNull();
    stop();
    expect(listening()).toBe(false);
  });
});
