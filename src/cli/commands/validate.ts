/** `trainyard validate` (first version: not built yet; lands with its issue). */
import type { Command } from '../args.js';

export const validateCommand: Command = {
  summary: 'validate',
  help: 'Usage: trainyard validate\n',
  async main(_argv, io) {
    io.err('trainyard validate: not available in this build yet.\n');
    return 1;
  },
};
