/** Runs the bundled demo trainer as a child process for the trainer tests, and reads the files it writes. */
import { spawn, type ChildProcess } from 'node:child_process';
import { existsSync, readFileSync } from 'node:fs';
import { join, resolve } from 'node:path';

export const ROOT = resolve(__dirname, '..', '..');
export const PY = process.env.TRAINYARD_PYTHON || '/usr/bin/python3';
export const TRAINER = join(ROOT, 'resources', 'trainers', 'demo', 'llamafactory_demo.py');
export const EXAMPLES = join(ROOT, 'resources', 'examples');

export interface Run { code: number | null; signal: NodeJS.Signals | null; out: string; child: ChildProcess; done: Promise<void> }

/** Spawns the trainer (argv array, no shell) with the examples folder as cwd, like Trainyard does. */
export function start(args: string[], env: Record<string, string> = {}): Run {
  const child = spawn(PY, [TRAINER, ...args], { cwd: EXAMPLES, env: { ...process.env, PYTHONUNBUFFERED: '1', ...env } });
  const run = { code: null, signal: null, out: '', child } as unknown as Run;
  child.stdout!.on('data', (b: Buffer) => { run.out += b.toString(); });
  child.stderr!.on('data', (b: Buffer) => { run.out += b.toString(); });
  run.done = new Promise((res) => child.on('close', (code, signal) => { run.code = code; run.signal = signal; res(); }));
  return run;
}

export async function runToEnd(args: string[], env: Record<string, string> = {}): Promise<Run> {
  const r = start(args, env);
  await r.done;
  return r;
}

export async function waitFor(r: Run, pred: () => boolean, ms: number): Promise<void> {
  const t0 = Date.now();
  while (!pred()) {
    if (r.code !== null || r.signal !== null) throw new Error(`process ended early:\n${r.out.slice(-3000)}`);
    if (Date.now() - t0 > ms) throw new Error(`timed out waiting:\n${r.out.slice(-3000)}`);
    await new Promise((res) => setTimeout(res, 50));
  }
}

/**
 * Starts the trainer as LLaMA Board does (LLAMABOARD_ENABLED=1, its workdir = `out`), slowed to `stepDelayMs` a step,
 * and presses Stop (SIGABRT) once its first trainer_log.jsonl line is written; resolves when it has exited.
 */
export async function abortUnderLlamaBoard(args: string[], out: string, stepDelayMs: number): Promise<Run> {
  const r = start(args, { LLAMABOARD_ENABLED: '1', LLAMABOARD_WORKDIR: out, DEMO_TRAINER_STEP_DELAY_MS: String(stepDelayMs) });
  await waitFor(r, () => existsSync(join(out, 'trainer_log.jsonl')), 60_000);
  r.child.kill('SIGABRT');
  await r.done;
  return r;
}

export const readJson = (p: string): Record<string, unknown> => JSON.parse(readFileSync(p, 'utf8')) as Record<string, unknown>;
export const readLines = (p: string): Record<string, unknown>[] =>
  readFileSync(p, 'utf8').trim().split('\n').map((l) => JSON.parse(l) as Record<string, unknown>);
