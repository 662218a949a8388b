/** The numbered migrations, in order. Each domain owns its file; add new ones at the end, never edit a shipped one. */
import type { Migration } from './migration.js';
import { m001 } from './001_core.js';
import { m002 } from './002_gpu.js';
import { m003 } from './003_metrics.js';
import { m005 } from './005_board.js';
import { m006 } from './006_chat.js';
import { m007 } from './007_compare.js';
import { m008 } from './008_metrics_compact.js';
import { m009 } from './009_run_configs.js';
import { m010 } from './010_run_speed.js';
import { m011 } from './011_slurm.js';
import { m012 } from './012_remotes.js';

export const migrations: Migration[] = [m001, m002, m003, m005, m006, m007, m008, m009, m010, m011, m012];
