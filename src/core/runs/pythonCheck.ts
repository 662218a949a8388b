/** Whether a Python can import torch + yaml, asked in a child process beside the engine and cached by path + mtime. */
import { spawn } from 'node:child_process';
import { statSync } from 'node:fs';

/** Generous: importing torch on a busy 2-core machine took tens of seconds, and nothing waits on the answer but the UI. */
export const PYTHON_CHECK_TIMEOUT_MS = 60_000;
/** A failure (or no answer) is asked again after this, so installing PyTorch takes effect without a restart. */
const FAILURE_TTL_MS = 30_000;
/** Enough of stderr for the last line of a traceback; the rest is dropped as it arrives. */
const STDERR_KEEP = 16 * 1024;

interface Entry {
  /** The executable's mtime when asked: a Python replaced in place (a new venv, an upgrade) is asked again. */
  mtimeMs: number;
  /** undefined while the child has not answered; null when torch imports; else why not. */
  problem: string | null | undefined;
  at: number;
  promise: Promise<string | null>;
}

const cache = new Map<string, Entry>();

function mtimeOf(path: string): number {
  try {
    return statSync(path).mtimeMs;
  } catch {
    return -1;
  }
}

function fresh(e: Entry | undefined, mtimeMs: number): e is Entry {
  if (!e || e.mtimeMs !== mtimeMs) return false;
  return e.problem === undefined || e.problem === null || Date.now() - e.at < FAILURE_TTL_MS;
}

/** The check for this Python: the cached one when current, else a new child (one at a time per path). */
function entryFor(python: string, env: NodeJS.ProcessEnv, timeoutMs: number): Entry {
  const mtimeMs = mtimeOf(python);
  const cached = cache.get(python);
  if (fresh(cached, mtimeMs)) return cached;
  const entry: Entry = { mtimeMs, problem: undefined, at: 0, promise: Promise.resolve(null) };
  entry.promise = ask(python, env, timeoutMs).then((problem) => {
    entry.problem = problem;
    entry.at = Date.now();
    return problem;
  });
  cache.set(python, entry);
  return entry;
}

/** null when `python` imports torch and yaml, else the reason; never throws. */
export function checkPython(python: string, env: NodeJS.ProcessEnv, timeoutMs = PYTHON_CHECK_TIMEOUT_MS): Promise<string | null> {
  return entryFor(python, env, timeoutMs).promise;
}

/** What is known now without waiting: null (ok), the reason, or undefined while the check runs (started if needed). */
export function peekPython(python: string, env: NodeJS.ProcessEnv): string | null | undefined {
  return entryFor(python, env, PYTHON_CHECK_TIMEOUT_MS).problem;
}

function ask(python: string, env: NodeJS.ProcessEnv, timeoutMs: number): Promise<string | null> {
  return new Promise((resolve) => {
    let stderr = '';
    let timedOut = false;
    const child = spawn(python, ['-c', 'import torch, yaml'], { env, stdio: ['ignore', 'ignore', 'pipe'] });
    child.stderr.setEncoding('utf8');
    child.stderr.on('data', (s: string) => {
      stderr = (stderr + s).slice(-STDERR_KEEP);
    });
    const timer = setTimeout(() => {
      timedOut = true;
      child.kill('SIGKILL');
    }, timeoutMs);
    child.on('error', (e) => {
      clearTimeout(timer);
      resolve(`${python}: ${e.message}`);
    });
    child.on('close', (code) => {
      clearTimeout(timer);
      if (timedOut) {
        // Under load a slow import is not a missing one: say what happened, and that it will be asked again.
        resolve(`${python} did not answer "import torch" in ${timeoutMs / 1000} s (a busy machine can be this slow); Trainyard asks again in ${FAILURE_TTL_MS / 1000} s.`);
      } else if (code === 0) resolve(null);
      else resolve(`${python} cannot import torch/yaml: ${stderr.trim().split('\n').at(-1) ?? ''}`);
    });
  });
}
