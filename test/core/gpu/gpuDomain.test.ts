/** The GPU domain end to end with a real store: list, the snapshot subscription, history written per tick. */
import { mkdtempSync, rmSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { dirname, join } from 'node:path';
import { afterEach, beforeEach, describe, expect, it } from 'vitest';
import type { GpuSnapshot } from '../../../src/shared/types/gpu.js';
import { defaultSettings } from '../../../src/shared/types/settings.js';
import { EventBus } from '../../../src/core/bus.js';
import type { CoreContext } from '../../../src/core/context.js';
import { createGpuDomain } from '../../../src/core/gpu/gpuDomain.js';
import { dataPaths } from '../../../src/core/paths.js';
import { openDb } from '../../../src/core/store/db.js';
import { repoRoot } from '../../helpers/fixtures.js';
import { sourceTreeRuntime } from '../../helpers/runtime.js';

const call = { connectionId: 'test' };

describe('createGpuDomain', () => {
  let dir: string;
  let ctx: CoreContext;
  beforeEach(() => {
    dir = mkdtempSync(join(tmpdir(), 'trainyard-gpudomain-'));
    const paths = dataPaths(dir);
    ctx = {
      db: openDb(paths.dbFile),
      paths,
      bus: new EventBus(),
      host: 'serve',
      runtime: sourceTreeRuntime(),
      resourcesDir: join(repoRoot, 'resources'),
      settings: () => ({ ...defaultSettings, telemetryIntervalMs: 250 }),
      env: { PATH: dirname(process.execPath), TRAINYARD_NVIDIA_SMI: join(repoRoot, 'test/fixtures/bin/nvidia-smi'), FAKE_GPUS: '2' },
    };
  });
  afterEach(() => {
    ctx.db.close();
    rmSync(dir, { recursive: true, force: true });
  });

  it('serves the snapshot, streams ticks on the bus and records history', async () => {
    const d = createGpuDomain(ctx);
    await d.start();
    try {
      // start() does not wait for detection; the first real snapshot follows on the bus.
      if (d.monitor.snapshot().source !== 'nvidia-smi') await new Promise<void>((resolve) => {
        const off = ctx.bus.on('gpus.snapshot', (s) => {
          if (s.source !== 'nvidia-smi') return;
          off();
          resolve();
        });
      });
      const list = await d.handlers['gpus.list']({}, call);
      expect(list.source).toBe('nvidia-smi');
      expect(list.gpus).toHaveLength(2);

      const got: GpuSnapshot[] = [];
      const stop = d.subscriptions['gpus.snapshot']({}, (s) => got.push(s), { ...call, subscriptionId: 1 });
      expect(got).toHaveLength(1); // the current snapshot, at once
      await new Promise<void>((resolve) => {
        const off = ctx.bus.on('gpus.snapshot', () => {
          if (got.length >= 4) {
            off();
            resolve();
          }
        });
      });
      stop();

      const uuid = list.gpus[1]!.uuid;
      const points = await d.handlers['gpus.history']({ uuid }, call);
      expect(points.length).toBeGreaterThanOrEqual(3);
      expect(points.every((p) => typeof p.memoryUsedMiB === 'number' && typeof p.powerDrawW === 'number')).toBe(true);
      expect(points.map((p) => p.at)).toEqual([...points.map((p) => p.at)].sort((a, b) => a - b));
      await expect(async () => d.handlers['gpus.history']({ uuid, since: 10, until: 5 }, call)).rejects.toThrow(/after "until"/);
    } finally {
      await d.stop();
    }
  });
});
