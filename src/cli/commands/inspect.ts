/** `trainyard inspect` (first version: not built yet; lands with its issue). */
import type { Command } from '../args.js';

export const inspectCommand: Command = {
  summary: 'inspect',
  help: 'Usage: trainyard inspect\n',
  async main(_argv, io) {
    io.err('trainyard inspect: not available in this build yet.\n');
    return 1;
  },
};
