/** Schema 2: GPU telemetry history (full resolution for the last hour, one-minute buckets beyond). */
import type { Migration } from '../db.js';

export const m002: Migration = {
  version: 2,
  name: 'gpu-history',
  up: `
    CREATE TABLE gpu_samples (
      uuid TEXT NOT NULL,
      at INTEGER NOT NULL,
      resolution INTEGER NOT NULL,
      memory_used_mib REAL,
      utilization_gpu_pct REAL,
      temperature_c REAL,
      power_draw_w REAL,
      PRIMARY KEY (uuid, resolution, at)
    ) WITHOUT ROWID;
  `,
};
