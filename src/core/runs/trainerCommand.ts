/** Which trainer runs a config: llamafactory-cli (path or PATH) or the bundled demo trainer under a Python with torch. */
import { existsSync } from 'node:fs';
import { join } from 'node:path';
import type { Settings } from '../../shared/types/settings.js';
import type { TrainerAvailability } from '../../shared/types/system.js';
import { which } from '../util/which.js';
import { checkPython, peekPython } from './pythonCheck.js';

export function demoTrainerScript(resourcesDir: string): string {
  return join(resourcesDir, 'trainers', 'demo', 'llamafactory_demo.py');
}

function candidates(settings: Settings, env: NodeJS.ProcessEnv): string[] {
  const names = [settings.trainer.python, env.TRAINYARD_PYTHON, '/usr/bin/python3', 'python3', 'python'].filter((p): p is string => !!p);
  const paths = names.map((n) => which(n, env)).filter((p): p is string => p !== null);
  return [...new Set(paths)];
}

function availability(cli: string | null, demoPython: string | null, checking: string | null, problems: string[]): TrainerAvailability {
  return {
    llamafactoryCli: cli,
    demoPython,
    demoChecking: checking,
    demoProblem:
      demoPython || checking
        ? null
        : problems.length
          ? `No Python with PyTorch found (${problems.join('; ')}). Install it: sudo apt-get install -y python3-torch libopenblas0-pthread`
          : 'No python3 found on PATH.',
  };
}

function findCli(settings: Settings, env: NodeJS.ProcessEnv): string | null {
  return settings.trainer.llamafactoryCli ? which(settings.trainer.llamafactoryCli, env) : which('llamafactory-cli', env);
}

/**
 * What is known now, without waiting: the first candidate Python that imports torch, or the one still being asked
 * (its check started here, in a child process, so a slow `import torch` never holds the engine's event loop).
 */
export function detectTrainers(settings: Settings, env: NodeJS.ProcessEnv): TrainerAvailability {
  const problems: string[] = [];
  for (const path of candidates(settings, env)) {
    const problem = peekPython(path, env);
    if (problem === undefined) return availability(findCli(settings, env), null, path, problems);
    if (problem === null) return availability(findCli(settings, env), path, null, problems);
    problems.push(problem);
  }
  return availability(findCli(settings, env), null, null, problems);
}

/** The same, waiting for every check it needs: what a launch and the diagnostics use. */
export async function resolveTrainers(settings: Settings, env: NodeJS.ProcessEnv): Promise<TrainerAvailability> {
  const problems: string[] = [];
  for (const path of candidates(settings, env)) {
    const problem = await checkPython(path, env);
    if (problem === null) return availability(findCli(settings, env), path, null, problems);
    problems.push(problem);
  }
  return availability(findCli(settings, env), null, null, problems);
}

/**
 * Waits until no check is running for the settings as they are then (a Python set meanwhile is waited for too), and
 * returns what was found: the answer a page that saw "checking" is sent.
 */
export async function settledTrainers(settings: () => Settings, env: NodeJS.ProcessEnv): Promise<TrainerAvailability> {
  for (;;) {
    const now = detectTrainers(settings(), env);
    if (!now.demoChecking) return now;
    await checkPython(now.demoChecking, env);
  }
}

/** The llamafactory-cli subcommands Trainyard runs. */
export type TrainerSub = 'train' | 'api' | 'export';

export interface TrainerCommand {
  /** argv[0] is the program; never joined into a shell string. */
  argv: string[];
  label: string;
}

/** The argv prefix for a subcommand (`train`, `api` or `export`), or an error saying what is missing. */
export async function trainerCommand(
  sub: TrainerSub,
  configPath: string,
  settings: Settings,
  env: NodeJS.ProcessEnv,
  resourcesDir: string,
): Promise<TrainerCommand> {
  if (settings.trainer.kind === 'demo') {
    const script = demoTrainerScript(resourcesDir);
    if (!existsSync(script)) throw new Error(`The demo trainer is missing at ${script}.`);
    // Only the demo needs the PyTorch answer: a llamafactory-cli launch never waits on it.
    const found = await resolveTrainers(settings, env);
    if (!found.demoPython) throw new Error(found.demoProblem ?? 'No Python with PyTorch found.');
    return { argv: [found.demoPython, script, sub, configPath], label: 'demo trainer' };
  }
  const cli = findCli(settings, env);
  if (!cli) {
    throw new Error(
      'llamafactory-cli was not found on PATH. Set its path in Settings → Trainer, or choose "Demo trainer" to try Trainyard without LLaMA-Factory.',
    );
  }
  return { argv: [cli, sub, configPath], label: 'llamafactory-cli' };
}
