/** The engine's message catalogue in Simplified Chinese: only the renderer imports it (the engine speaks English). */
import type { MessageCode } from './catalogue.js';
import { configs } from './zh/configs.js';
import { errors } from './zh/errors.js';
import { runs } from './zh/runs.js';
import { scheduler } from './zh/scheduler.js';
import { remotes } from './zh/remotes.js';
import { slurm } from './zh/slurm.js';
import { system } from './zh/system.js';

export const engineZh: Record<MessageCode, string> = { verbatim: '{text}', ...system, ...errors, ...runs, ...slurm, ...configs, ...remotes, ...scheduler };
