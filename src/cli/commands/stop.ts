/** `trainyard stop RUN`: the app's Stop (save and stop; Slurm: scancel --signal, then scancel after the grace). */
import { parseArgs, UsageError, type Command } from '../args.js';
import { dataDirOf, withEngine } from '../engine.js';
import { findRun } from '../runRef.js';

const help = `Usage: trainyard stop RUN [--data-dir D]

Stops a run (its id, or its name when only one run has it) as Stop in the app does: the trainer is asked to save and
stop, and is ended after the grace period in Settings. Runs of Slurm lanes get scancel --signal=ABRT, then scancel.
`;

export const stopCommand: Command = {
  summary: 'Stop a run (it saves first).',
  help,
  async main(argv, io) {
    const { flags, positional } = parseArgs(argv, { 'data-dir': { type: 'string' } });
    if (positional.length !== 1) throw new UsageError('Give one run id.');
    return withEngine(dataDirOf(flags['data-dir'], io.env), io, async ({ api }) => {
      const run = await findRun(api, positional[0]!);
      const r = await api.call('runs.stop', { id: run.id });
      io.out(`${r.id}  ${r.name}  ${r.status}\n`);
      return 0;
    });
  },
};
