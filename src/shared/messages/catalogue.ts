/** The engine's message catalogue in English: every code a domain can say, one file per domain; zh/ words the same codes. */
import { configs } from './en/configs.js';
import { errors } from './en/errors.js';
import { runs } from './en/runs.js';
import { scheduler } from './en/scheduler.js';
import { remotes } from './en/remotes.js';
import { slurm } from './en/slurm.js';
import { system } from './en/system.js';

export const engineEn = { verbatim: '{text}', ...system, ...errors, ...runs, ...slurm, ...configs, ...remotes, ...scheduler } as const;

export type MessageCode = keyof typeof engineEn;
