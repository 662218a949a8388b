/** Where Trainyard keeps its data: TRAINYARD_DATA_DIR, or the platform's app-data folder. */
import { homedir } from 'node:os';
import { join, resolve } from 'node:path';

export interface DataPaths {
  dataDir: string;
  dbFile: string;
  /** One folder per run: config copy, console log, holder state, exit status. */
  runsDir: string;
  /** Default parent of output_dir for runs whose config does not say otherwise. */
  outputsDir: string;
  /** Imported task files are copied here so a moved original does not break a queued task. */
  tasksDir: string;
}

export function defaultDataDir(env: NodeJS.ProcessEnv = process.env, platform: NodeJS.Platform = process.platform): string {
  if (env.TRAINYARD_DATA_DIR) return resolve(env.TRAINYARD_DATA_DIR);
  const home = homedir();
  if (platform === 'darwin') return join(home, 'Library', 'Application Support', 'Trainyard');
  if (platform === 'win32') return join(env.APPDATA ?? join(home, 'AppData', 'Roaming'), 'Trainyard');
  return join(env.XDG_DATA_HOME ?? join(home, '.local', 'share'), 'trainyard');
}

export function dataPaths(dataDir: string): DataPaths {
  const dir = resolve(dataDir);
  return {
    dataDir: dir,
    dbFile: join(dir, 'trainyard.db'),
    runsDir: join(dir, 'runs'),
    outputsDir: join(dir, 'outputs'),
    tasksDir: join(dir, 'tasks'),
  };
}
