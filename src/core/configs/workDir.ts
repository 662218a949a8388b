/**
 * The one rule for the folder a task's trainer runs in (its cwd, where relative dataset_dir, deepspeed and model paths
 * resolve, as they do for `llamafactory-cli train x.yaml` typed in a LLaMA-Factory checkout): the LLaMA-Factory folder
 * when one is set or found, else the config's own folder (for a config dropped into a browser, which has no folder:
 * Trainyard's tasks folder).
 */
import { dirname } from 'node:path';
import type { WorkDirSource } from '../../shared/types/task.js';
import { findUpLfFolder } from './lfInstall.js';

export interface WorkDirInputs {
  /** Where the config was imported from (null for content dropped into a browser). */
  sourcePath: string | null;
  /** Settings → Trainer → LLaMA-Factory folder, when the person set one. */
  settingsDir: string | null;
  /** The checkout found behind the chosen llamafactory-cli (its editable install, or around it). */
  cliFolder: string | null;
  /** Trainyard's own folder for configs without a folder. */
  tasksDir: string;
  /** The look-up upwards from the config (injected so a caller can cache it). */
  findUp?: (start: string) => string | null;
}

export interface WorkDirChoice {
  dir: string;
  source: WorkDirSource;
}

export function taskWorkDir(i: WorkDirInputs): WorkDirChoice {
  if (i.settingsDir) return { dir: i.settingsDir, source: 'settings' };
  // A config inside a checkout (examples/train_lora/x.yaml) or a project laid out like one runs from that folder: it
  // is the folder its relative paths were written for, even when another checkout sits behind the CLI.
  const near = i.sourcePath ? (i.findUp ?? findUpLfFolder)(dirname(i.sourcePath)) : null;
  if (near) return { dir: near, source: 'near-config' };
  if (i.cliFolder) return { dir: i.cliFolder, source: 'near-cli' };
  if (i.sourcePath) return { dir: dirname(i.sourcePath), source: 'config-folder' };
  return { dir: i.tasksDir, source: 'tasks-folder' };
}
