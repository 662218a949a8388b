/** `trainyard gpus` (first version: not built yet; lands with its issue). */
import type { Command } from '../args.js';

export const gpusCommand: Command = {
  summary: 'gpus',
  help: 'Usage: trainyard gpus\n',
  async main(_argv, io) {
    io.err('trainyard gpus: not available in this build yet.\n');
    return 1;
  },
};
