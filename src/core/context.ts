/** What every domain of the core gets: the store, the data paths, the event bus, settings and the host kind. */
import type { Settings } from '../shared/types/settings.js';
import type { EventBus } from './bus.js';
import type { DataPaths } from './paths.js';
import type { Db } from './store/db.js';

export interface CoreContext {
  db: Db;
  paths: DataPaths;
  bus: EventBus;
  host: 'electron' | 'serve';
  /** Folder holding resources/ (demo trainer, examples); differs between source tree and packaged app. */
  resourcesDir: string;
  settings(): Settings;
  /** Extra environment for spawned tools (tests point nvidia-smi at a double, for example). */
  env: NodeJS.ProcessEnv;
}
