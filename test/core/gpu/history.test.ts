/** GPU history in a real SQLite file: batch inserts, compaction to minute buckets (max memory, mean rest), capped reads. */
import { mkdtempSync, rmSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { afterEach, beforeEach, describe, expect, it } from 'vitest';
import type { GpuInfo } from '../../../src/shared/types/gpu.js';
import { openDb, type Db } from '../../../src/core/store/db.js';
import { createGpuHistoryRepo, type GpuHistoryRepo, MINUTE_MS } from '../../../src/core/store/gpuHistoryRepo.js';

const gpu = (uuid: string, mem: number | null, util: number | null): GpuInfo => ({
  index: 0, uuid, name: 'x', vendor: 'nvidia', pciBusId: null, driverVersion: null, memoryTotalMiB: 81559,
  memoryUsedMiB: mem, memoryFreeMiB: null, utilizationGpuPct: util, utilizationMemoryPct: null, temperatureC: 40,
  powerDrawW: 100, powerLimitW: null, clockSmMHz: null, clockMemMHz: null, pstate: null, computeMode: null, migMode: null,
});

describe('GpuHistoryRepo', () => {
  let dir: string;
  let db: Db;
  let repo: GpuHistoryRepo;
  const T0 = 1_700_000_000_000 - (1_700_000_000_000 % MINUTE_MS); // minute-aligned
  beforeEach(() => {
    dir = mkdtempSync(join(tmpdir(), 'trainyard-gpuhist-'));
    db = openDb(join(dir, 'trainyard.db'));
    repo = createGpuHistoryRepo(db);
  });
  afterEach(() => {
    db.close();
    rmSync(dir, { recursive: true, force: true });
  });

  const count = (resolution: number) =>
    db.prepare<{ c: number }>('SELECT COUNT(*) AS c FROM gpu_samples WHERE resolution = ?').get(resolution)!.c;

  it('keeps the last hour raw and folds older samples into one-minute buckets', () => {
    // 3 hours of 1 s samples for two GPUs: memory climbs, utilisation alternates 0/100.
    for (let s = 0; s < 3 * 3600; s++) {
      repo.insertTick(T0 + s * 1000, [gpu('GPU-a', s, s % 2 ? 100 : 0), gpu('GPU-b', 5, null)]);
    }
    expect(count(0)).toBe(2 * 3 * 3600);
    const now = T0 + 3 * 3600 * 1000;
    const r = repo.compact(now);
    expect(r.bucketed).toBe(2 * 120);
    expect(count(0)).toBe(2 * 3600);
    expect(count(MINUTE_MS)).toBe(2 * 120);

    const old = repo.history('GPU-a', T0, T0 + 2 * 3600 * 1000 - 1, 10_000);
    expect(old).toHaveLength(120);
    // Minute 0 holds seconds 0..59: memory MAX = 59, utilisation MEAN = 50.
    expect(old[0]).toEqual({ at: T0, memoryUsedMiB: 59, utilizationGpuPct: 50, temperatureC: 40, powerDrawW: 100 });
    expect(old[1]!.memoryUsedMiB).toBe(119);
    expect(repo.history('GPU-b', T0, T0 + 60_000, 100)[0]!.utilizationGpuPct).toBeNull();

    // A second compaction at the same time changes nothing.
    expect(repo.compact(now).bucketed).toBe(0);
  });

  it('merges late raw samples into an existing bucket with exact weights', () => {
    for (let s = 0; s < 30; s++) repo.insertTick(T0 + s * 1000, [gpu('GPU-a', 10, 20)]);
    repo.compact(T0 + 2 * 3600_000);
    for (let s = 30; s < 40; s++) repo.insertTick(T0 + s * 1000, [gpu('GPU-a', 500, 80)]);
    repo.compact(T0 + 2 * 3600_000);
    const [p] = repo.history('GPU-a', T0, T0 + MINUTE_MS, 100);
    expect(p!.memoryUsedMiB).toBe(500);
    expect(p!.utilizationGpuPct).toBeCloseTo((30 * 20 + 10 * 80) / 40);
  });

  it('caps a long window to maxPoints, keeping the memory peak', () => {
    for (let s = 0; s < 3600; s++) repo.insertTick(T0 + s * 1000, [gpu('GPU-a', s === 1234 ? 70_000 : 1000, 50)]);
    const pts = repo.history('GPU-a', T0, T0 + 3600_000, 100);
    expect(pts.length).toBeLessThanOrEqual(100);
    expect(pts.length).toBeGreaterThan(90);
    expect(Math.max(...pts.map((p) => p.memoryUsedMiB ?? 0))).toBe(70_000);
    expect(pts.map((p) => p.at)).toEqual([...pts.map((p) => p.at)].sort((a, b) => a - b));
  });

  it('drops buckets past the retention', () => {
    repo.insertTick(T0, [gpu('GPU-a', 1, 1)]);
    repo.compact(T0 + 2 * 3600_000);
    expect(count(MINUTE_MS)).toBe(1);
    expect(repo.compact(T0 + 40 * 24 * 3600_000).expired).toBe(1);
  });
});
