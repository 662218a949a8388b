/** The `trainyard` command: dispatches subcommands; exit codes 0 ok, 1 failure, 2 usage error. */
import type { CliIo, Command } from './args.js';
import { UsageError } from './args.js';
import { packageVersion } from './locations.js';

const commands: Record<string, () => Promise<Command>> = {
  serve: async () => (await import('./commands/serve.js')).serveCommand,
  gpus: async () => (await import('./commands/gpus.js')).gpusCommand,
  validate: async () => (await import('./commands/validate.js')).validateCommand,
  inspect: async () => (await import('./commands/inspect.js')).inspectCommand,
  run: async () => (await import('./commands/run.js')).runCommand,
  ps: async () => (await import('./commands/ps.js')).psCommand,
  stop: async () => (await import('./commands/stop.js')).stopCommand,
  logs: async () => (await import('./commands/logs.js')).logsCommand,
};

const summaries: Record<string, string> = {
  serve: 'Serve the Trainyard UI and engine on http://127.0.0.1 (headless boxes, SSH tunnels).',
  gpus: 'List GPUs with memory, utilisation, temperature and power (--json for scripts).',
  validate: 'Check LLaMA-Factory config files and report errors and warnings (--json).',
  inspect: 'Summarise a run from its output dir, trainer_log.jsonl or console log (--json).',
  run: 'Queue configs on the engine (a lane: gpu:N, slurm:<partition>, auto); --wait exits with the result.',
  ps: 'List the runs with status, place and metrics (--json).',
  stop: 'Stop a run (it saves first).',
  logs: "Print a run's console log (--follow).",
};

export function usage(): string {
  const width = Math.max(...Object.keys(summaries).map((k) => k.length));
  return [
    'Usage: trainyard <command> [options]',
    '',
    'Commands:',
    ...Object.entries(summaries).map(([k, v]) => `  ${k.padEnd(width)}  ${v}`),
    '',
    'Run `trainyard <command> --help` for the options of a command.',
    '',
  ].join('\n');
}

export async function runCli(argv: string[], io: CliIo): Promise<number> {
  const [name, ...rest] = argv;
  if (!name || name === '--help' || name === '-h' || name === 'help') {
    io.out(usage());
    return name ? 0 : 2;
  }
  if (name === '--version' || name === '-v') {
    io.out(`trainyard ${packageVersion()}\n`);
    return 0;
  }
  const load = Object.hasOwn(commands, name) ? commands[name] : undefined;
  if (!load) {
    io.err(`trainyard: unknown command "${name}".\n\n${usage()}`);
    return 2;
  }
  const command = await load();
  if (rest.includes('--help') || rest.includes('-h')) {
    io.out(command.help);
    return 0;
  }
  try {
    return await command.main(rest, io);
  } catch (e) {
    if (e instanceof UsageError) {
      io.err(`trainyard ${name}: ${e.message}\n\n${command.help}`);
      return 2;
    }
    io.err(`trainyard ${name}: ${e instanceof Error ? e.message : String(e)}\n`);
    return 1;
  }
}
