/** Test helpers for the runs domain: a real core context on a temp data dir, and the scripted trainer's argv. */
import { mkdtempSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { EventBus } from '../../../src/core/bus.js';
import type { CoreContext } from '../../../src/core/context.js';
import { dataPaths } from '../../../src/core/paths.js';
import type { LaunchSpec } from '../../../src/core/runs/supervisorApi.js';
import { openDb } from '../../../src/core/store/db.js';
import { defaultSettings } from '../../../src/shared/types/settings.js';
import { repoRoot, resourcesDir } from '../../helpers/fixtures.js';

export const scriptedTrainer = join(repoRoot, 'test/fixtures/trainers/scripted.mjs');

export function tempDataDir(): string {
  // Short prefix: holder sockets live in the run dir and Unix socket paths are limited to ~107 bytes.
  return mkdtempSync(join(tmpdir(), 'ty-'));
}

export function makeCtx(dataDir: string): CoreContext {
  const paths = dataPaths(dataDir);
  return {
    db: openDb(paths.dbFile),
    paths,
    bus: new EventBus(),
    host: 'serve',
    resourcesDir,
    settings: () => defaultSettings,
    env: process.env,
  };
}

export const commandFor = (sub: 'train' | 'api', configPath: string) => [process.execPath, scriptedTrainer, sub, configPath];

export function spec(name: string, yaml: string, workDir: string, gpuIndices: number[] = [0]): LaunchSpec {
  return {
    name,
    kind: 'train',
    taskId: null,
    sweepId: null,
    parentRunId: null,
    configYaml: yaml,
    workDir,
    gpuIndices,
    gpuUuids: gpuIndices.map((i) => `GPU-${i}`),
    estimateMiB: null,
  };
}
