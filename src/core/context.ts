/** What every domain of the core gets: the store, the data paths, the event bus, settings and the host kind. */
import type { Settings } from '../shared/types/settings.js';
import type { EventBus } from './bus.js';
import type { DataPaths } from './paths.js';
import type { RuntimePaths } from './runtimePaths.js';
import type { Db } from './store/db.js';

export interface CoreContext {
  db: Db;
  paths: DataPaths;
  bus: EventBus;
  host: 'electron' | 'serve';
  /** resources/ (demo trainer, examples, key catalogue): createCore's copy of runtime.resourcesDir in the data folder, a path that never moves. */
  resourcesDir: string;
  /** Where this installation's files are: the host builds it (main, serve, cli); core never derives paths itself. */
  runtime: RuntimePaths;
  settings(): Settings;
  /** Extra environment for spawned tools (tests point nvidia-smi at a double, for example). */
  env: NodeJS.ProcessEnv;
}
