/** `trainyard logs RUN [--follow]`: a run's console log (everything the trainer printed), followed until the run ends. */
import { readRange, fileSize } from '../../core/runs/logFile.js';
import { join } from 'node:path';
import { parseArgs, UsageError, type Command } from '../args.js';
import { dataDirOf, sleep, withEngine } from '../engine.js';
import { findRun, isActive } from '../runRef.js';

const help = `Usage: trainyard logs RUN [--follow] [--data-dir D]

Prints the console log of a run (its id, or its name when only one run has it). --follow keeps printing what the
trainer writes until the run ends.
`;

/** At most this much per read: a huge log streams in pieces instead of being held in memory at once. */
const CHUNK = 1024 * 1024;

export const logsCommand: Command = {
  summary: "Print a run's console log (--follow).",
  help,
  async main(argv, io) {
    const { flags, positional } = parseArgs(argv, { follow: { type: 'boolean' }, 'data-dir': { type: 'string' } });
    if (positional.length !== 1) throw new UsageError('Give one run id.');
    return withEngine(dataDirOf(flags['data-dir'], io.env), io, async ({ api }) => {
      let run = await findRun(api, positional[0]!);
      const file = join(run.runDir, 'console.log');
      let offset = 0;
      const drain = () => {
        for (let size = fileSize(file); offset < size; ) {
          const end = Math.min(size, offset + CHUNK);
          io.out(readRange(file, offset, end).toString('utf8'));
          offset = end;
        }
      };
      drain();
      while (flags.follow && isActive(run)) {
        await sleep(300);
        drain();
        run = await api.call('runs.get', { id: run.id });
      }
      drain();
      return 0;
    });
  },
};
