/** GPU telemetry history in SQLite: one transaction per tick, compaction to one-minute buckets, capped range reads. */
import type { GpuHistoryPoint, GpuInfo } from '../../shared/types/gpu.js';
import type { Db } from './db.js';

export const MINUTE_MS = 60_000;
export const FULL_RESOLUTION_MS = 60 * MINUTE_MS;
export const RETENTION_MS = 30 * 24 * 60 * MINUTE_MS;

interface PointRow {
  at: number;
  memory_used_mib: number | null;
  utilization_gpu_pct: number | null;
  temperature_c: number | null;
  power_draw_w: number | null;
}

/** Averages merge weighted by sample count; a null side takes the other (AVG ignores nulls too). */
const mergeAvg = (col: string) =>
  `${col} = CASE WHEN ${col} IS NULL THEN excluded.${col} WHEN excluded.${col} IS NULL THEN ${col}
    ELSE (${col} * n + excluded.${col} * excluded.n) / (n + excluded.n) END`;

export function createGpuHistoryRepo(db: Db) {
  const insert = db.prepare(
    `INSERT OR REPLACE INTO gpu_samples (uuid, at, resolution, n, memory_used_mib, utilization_gpu_pct, temperature_c, power_draw_w)
     VALUES (?, ?, 0, 1, ?, ?, ?, ?)`,
  );
  const insertTick = db.transaction((at: number, gpus: GpuInfo[]) => {
    for (const g of gpus) insert.run(g.uuid, at, g.memoryUsedMiB, g.utilizationGpuPct, g.temperatureC, g.powerDrawW);
  });
  const bucket = db.prepare(
    `INSERT INTO gpu_samples (uuid, at, resolution, n, memory_used_mib, utilization_gpu_pct, temperature_c, power_draw_w)
     SELECT uuid, (at / ${MINUTE_MS}) * ${MINUTE_MS} AS b, ${MINUTE_MS}, COUNT(*),
            MAX(memory_used_mib), AVG(utilization_gpu_pct), AVG(temperature_c), AVG(power_draw_w)
     FROM gpu_samples WHERE resolution = 0 AND at < ? GROUP BY uuid, b
     ON CONFLICT (uuid, resolution, at) DO UPDATE SET
       memory_used_mib = CASE WHEN memory_used_mib IS NULL OR excluded.memory_used_mib > memory_used_mib
                              THEN excluded.memory_used_mib ELSE memory_used_mib END,
       ${mergeAvg('utilization_gpu_pct')},
       ${mergeAvg('temperature_c')},
       ${mergeAvg('power_draw_w')},
       n = n + excluded.n`,
  );
  const dropRaw = db.prepare('DELETE FROM gpu_samples WHERE resolution = 0 AND at < ?');
  const dropOld = db.prepare(`DELETE FROM gpu_samples WHERE resolution = ${MINUTE_MS} AND at < ?`);
  const compactTx = db.transaction((cutoff: number, oldest: number) => {
    const bucketed = bucket.run(cutoff).changes;
    const removed = dropRaw.run(cutoff).changes;
    const expired = dropOld.run(oldest).changes;
    return { bucketed, removed, expired };
  });
  const count = db.prepare<{ c: number }>('SELECT COUNT(*) AS c FROM gpu_samples WHERE uuid = ? AND at BETWEEN ? AND ?');
  const points = db.prepare<PointRow>(
    `SELECT at, memory_used_mib, utilization_gpu_pct, temperature_c, power_draw_w FROM gpu_samples
     WHERE uuid = ? AND at BETWEEN ? AND ? ORDER BY at`,
  );
  const buckets = db.prepare<PointRow>(
    `SELECT CAST(AVG(at) AS INTEGER) AS at, MAX(memory_used_mib) AS memory_used_mib,
            AVG(utilization_gpu_pct) AS utilization_gpu_pct, AVG(temperature_c) AS temperature_c,
            AVG(power_draw_w) AS power_draw_w
     FROM gpu_samples WHERE uuid = ? AND at BETWEEN ? AND ?
     GROUP BY CAST((at - ?) / ? AS INTEGER) ORDER BY 1`,
  );

  return {
    /** All GPUs of one sample tick in one transaction (one fsync per tick, not per GPU). */
    insertTick: (at: number, gpus: GpuInfo[]): void => {
      if (gpus.length > 0) insertTick(at, gpus);
    },
    /**
     * Raw samples older than the last hour become one-minute buckets. The cutoff is aligned to a minute, so a minute is
     * either all raw or all bucketed; a late raw sample for an already bucketed minute is merged, not lost.
     */
    compact: (now = Date.now(), fullResolutionMs = FULL_RESOLUTION_MS, retentionMs = RETENTION_MS) => {
      const cutoff = Math.floor((now - fullResolutionMs) / MINUTE_MS) * MINUTE_MS;
      return compactTx(cutoff, now - retentionMs);
    },
    /** Points of one card in [since, until], oldest first; more than maxPoints are folded into equal-width buckets. */
    history: (uuid: string, since: number, until: number, maxPoints: number): GpuHistoryPoint[] => {
      const n = count.get(uuid, since, until)!.c;
      const rows =
        n <= maxPoints ? points.all(uuid, since, until) : buckets.all(uuid, since, until, since, Math.ceil((until - since + 1) / maxPoints));
      return rows.map((r) => ({
        at: r.at,
        memoryUsedMiB: r.memory_used_mib,
        utilizationGpuPct: r.utilization_gpu_pct,
        temperatureC: r.temperature_c,
        powerDrawW: r.power_draw_w,
      }));
    },
  };
}

export type GpuHistoryRepo = ReturnType<typeof createGpuHistoryRepo>;
