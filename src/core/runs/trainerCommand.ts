/** Which trainer runs a config: llamafactory-cli (path or PATH) or the bundled demo trainer under a Python with torch. */
import { spawnSync } from 'node:child_process';
import { existsSync } from 'node:fs';
import { join } from 'node:path';
import type { Settings } from '../../shared/types/settings.js';
import type { TrainerAvailability } from '../../shared/types/system.js';
import { which } from '../util/which.js';

export function demoTrainerScript(resourcesDir: string): string {
  return join(resourcesDir, 'trainers', 'demo', 'llamafactory_demo.py');
}

/** Successes are kept; a failure is retried after a while, so installing PyTorch takes effect without a restart. */
const pythonCache = new Map<string, { problem: string | null; at: number }>();
const FAILURE_TTL_MS = 30_000;

/** Returns null when this python can import torch, else the reason. Cached: the import costs a second or two. */
function pythonProblem(python: string, env: NodeJS.ProcessEnv): string | null {
  const cached = pythonCache.get(python);
  if (cached && (cached.problem === null || Date.now() - cached.at < FAILURE_TTL_MS)) return cached.problem;
  const r = spawnSync(python, ['-c', 'import torch, yaml'], { env, timeout: 20_000, encoding: 'utf8' });
  const problem =
    r.error != null
      ? `${python}: ${r.error.message}`
      : r.status === 0
        ? null
        : `${python} cannot import torch/yaml: ${(r.stderr || '').trim().split('\n').at(-1) ?? ''}`;
  pythonCache.set(python, { problem, at: Date.now() });
  return problem;
}

export function detectTrainers(settings: Settings, env: NodeJS.ProcessEnv): TrainerAvailability {
  const cli = settings.trainer.llamafactoryCli ? which(settings.trainer.llamafactoryCli, env) : which('llamafactory-cli', env);
  const candidates = [settings.trainer.python, env.TRAINYARD_PYTHON, '/usr/bin/python3', 'python3', 'python'].filter(
    (p): p is string => !!p,
  );
  let demoPython: string | null = null;
  const problems: string[] = [];
  for (const c of candidates) {
    const path = which(c, env);
    if (!path) continue;
    const problem = pythonProblem(path, env);
    if (!problem) {
      demoPython = path;
      break;
    }
    problems.push(problem);
  }
  return {
    llamafactoryCli: cli,
    demoPython,
    demoProblem: demoPython
      ? null
      : problems.length
        ? `No Python with PyTorch found (${problems.join('; ')}). Install it: sudo apt-get install -y python3-torch libopenblas0-pthread`
        : 'No python3 found on PATH.',
  };
}

export interface TrainerCommand {
  /** argv[0] is the program; never joined into a shell string. */
  argv: string[];
  label: string;
}

/** The argv prefix for a subcommand (`train` or `api`), or an error saying what is missing. */
export function trainerCommand(
  sub: 'train' | 'api',
  configPath: string,
  settings: Settings,
  env: NodeJS.ProcessEnv,
  resourcesDir: string,
): TrainerCommand {
  const found = detectTrainers(settings, env);
  if (settings.trainer.kind === 'demo') {
    const script = demoTrainerScript(resourcesDir);
    if (!existsSync(script)) throw new Error(`The demo trainer is missing at ${script}.`);
    if (!found.demoPython) throw new Error(found.demoProblem ?? 'No Python with PyTorch found.');
    return { argv: [found.demoPython, script, sub, configPath], label: 'demo trainer' };
  }
  if (!found.llamafactoryCli) {
    throw new Error(
      'llamafactory-cli was not found on PATH. Set its path in Settings → Trainer, or choose "Demo trainer" to try Trainyard without LLaMA-Factory.',
    );
  }
  return { argv: [found.llamafactoryCli, sub, configPath], label: 'llamafactory-cli' };
}
