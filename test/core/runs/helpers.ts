/** Test helpers for the runs domain: a real core context on a temp data dir, the test trainers' argv, waiting for a condition. */
import { mkdtempSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { EventBus } from '../../../src/core/bus.js';
import type { CoreContext } from '../../../src/core/context.js';
import { dataPaths } from '../../../src/core/paths.js';
import { readHolderInfo } from '../../../src/core/runs/holderProcess.js';
import { runProcesses, signalAll } from '../../../src/core/runs/procTree.js';
import type { Supervisor } from '../../../src/core/runs/supervisor.js';
import type { LaunchSpec } from '../../../src/core/runs/supervisorApi.js';
import { openDb } from '../../../src/core/store/db.js';
import { defaultSettings } from '../../../src/shared/types/settings.js';
import { repoRoot, resourcesDir } from '../../helpers/fixtures.js';
import { sourceTreeRuntime, useSourceHolder } from '../../helpers/runtime.js';

export const scriptedTrainer = join(repoRoot, 'test/fixtures/trainers/scripted.mjs');
/** A torchrun-like launcher with workers that save on SIGABRT (see the file's header for its config keys). */
export const launcherTrainer = join(repoRoot, 'test/fixtures/trainers/launcher.mjs');

export function tempDataDir(): string {
  // Short prefix: holder sockets live in the run dir and Unix socket paths are limited to ~107 bytes.
  return mkdtempSync(join(tmpdir(), 'ty-'));
}

export function makeCtx(dataDir: string): CoreContext {
  const paths = dataPaths(dataDir);
  // What createCore does: this data folder's runs start the source tree's holder.
  useSourceHolder(dataDir);
  return {
    db: openDb(paths.dbFile),
    paths,
    bus: new EventBus(),
    host: 'serve',
    runtime: sourceTreeRuntime(),
    resourcesDir,
    settings: () => defaultSettings,
    env: process.env,
  };
}

export const commandFor = (sub: string, configPath: string) => [process.execPath, scriptedTrainer, sub, configPath];
export const launcherCommand = (sub: string, configPath: string) => [process.execPath, launcherTrainer, sub, configPath];

/** Polls `cond` until it holds (no fixed sleeps: this machine is slow and shared). */
export async function waitFor(cond: () => boolean, ms: number, what: string): Promise<void> {
  const end = Date.now() + ms;
  while (!cond()) {
    if (Date.now() > end) throw new Error(`timed out waiting for ${what}`);
    await new Promise((r) => setTimeout(r, 25));
  }
}

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

/** Kills every holder and trainer a test's supervisor started (runs outlive it on purpose). */
export function killRuns(sup: Supervisor): void {
  for (const r of sup.list()) {
    const info = readHolderInfo(r.runDir);
    if (info) signalAll([...runProcesses(info.trainerPid), info.holderPid], 'SIGKILL');
  }
}
