/** Schema 2: GPU telemetry history (full resolution for the last hour, one-minute buckets beyond). */
import type { Migration } from './migration.js';

/**
 * resolution 0 = a raw sample; 60000 = a one-minute bucket made by compaction. `n` is how many raw samples a bucket
 * holds, so merging into an existing bucket keeps exact averages. Memory keeps the bucket's MAX (a spike is what
 * makes a run fail with OOM; an average would hide it); utilisation, temperature and power keep the mean.
 */
export const m002: Migration = {
  version: 2,
  name: 'gpu-history',
  up: `
    CREATE TABLE gpu_samples (
      uuid TEXT NOT NULL,
      at INTEGER NOT NULL,
      resolution INTEGER NOT NULL,
      n INTEGER NOT NULL DEFAULT 1,
      memory_used_mib REAL,
      utilization_gpu_pct REAL,
      temperature_c REAL,
      power_draw_w REAL,
      PRIMARY KEY (uuid, resolution, at)
    ) WITHOUT ROWID;
    CREATE INDEX gpu_samples_at ON gpu_samples (resolution, at);
  `,
};
