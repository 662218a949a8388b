/** The source tree's own files as RuntimePaths: what a host hands the engine, built here for tests that run the TypeScript sources. */
import { readFileSync } from 'node:fs';
import { join } from 'node:path';
import { runtimePaths, type RuntimePaths } from '../../src/core/runtimePaths.js';
import { installHolderRuntime } from '../../src/core/runtimeInstall.js';
import { useHolderLaunch } from '../../src/core/runs/holderProcess.js';
import { dataPaths } from '../../src/core/paths.js';
import { repoRoot } from './fixtures.js';

export function sourceTreeRuntime(): RuntimePaths {
  const version = (JSON.parse(readFileSync(join(repoRoot, 'package.json'), 'utf8')) as { version: string }).version;
  return runtimePaths({ version, appDir: repoRoot, holderDir: join(repoRoot, 'src', 'core', 'runs', 'holder') });
}

/** What createCore does for holders, for tests that build one domain by hand: this data folder's runs start the source tree's holder, copied beside them. */
export function useSourceHolder(dataDir: string, runtime: RuntimePaths = sourceTreeRuntime()): () => void {
  return useHolderLaunch(dataPaths(dataDir).runsDir, installHolderRuntime(runtime, dataDir));
}
