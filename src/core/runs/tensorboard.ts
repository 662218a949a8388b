/** TensorBoard for runs that report to it: one `tensorboard` per set of runs on a free 127.0.0.1 port, found beside the trainer's Python, stopped with the engine. */
import { spawn, spawnSync, type ChildProcess } from 'node:child_process';
import { existsSync, readFileSync } from 'node:fs';
import { dirname, isAbsolute, join, resolve } from 'node:path';
import YAML from 'yaml';
import type { TensorBoardInfo } from '../../shared/contract/runs.js';
import { reportsTo } from '../../shared/domain/reportTo.js';
import { RpcError } from '../../shared/rpc/protocol.js';
import type { Run } from '../../shared/types/run.js';
import { isExecutable, which } from '../util/which.js';
import { freePort } from './ports.js';


/**
 * How to start TensorBoard in the trainer's environment: the `tensorboard` script beside the trainer's program (a
 * venv's bin/, where `pip install tensorboard` puts it), else that Python's `-m tensorboard.main`, else one on PATH.
 * Null with the pip command to run when there is none.
 */
export function findTensorBoard(trainerProgram: string | null, env: NodeJS.ProcessEnv): { argv: string[] } | { missing: string } {
  const dir = trainerProgram && isAbsolute(trainerProgram) ? dirname(trainerProgram) : null;
  if (dir && isExecutable(join(dir, 'tensorboard'))) return { argv: [join(dir, 'tensorboard')] };
  const python = dir && isExecutable(join(dir, 'python')) ? join(dir, 'python') : trainerProgram && /python[\d.]*$/.test(trainerProgram) ? trainerProgram : null;
  if (python && spawnSync(python, ['-c', 'import tensorboard'], { env, timeout: 20_000 }).status === 0) return { argv: [python, '-m', 'tensorboard.main'] };
  const onPath = which('tensorboard', env);
  if (onPath) return { argv: [onPath] };
  return { missing: `TensorBoard is not installed for this trainer. Install it: ${python ? `${python} -m pip install tensorboard` : 'pip install tensorboard'}` };
}

/**
 * Where a run's TensorBoard events are: its logging_dir when the config sets one (relative to the run's working
 * folder), else the output folder, which holds HF's default runs/<date_host>/ (TensorBoard reads subfolders).
 */
export function runLogDir(run: Run): string {
  try {
    const cfg = (YAML.parse(readFileSync(run.configPath, 'utf8')) ?? {}) as Record<string, unknown>;
    if (typeof cfg.logging_dir === 'string' && cfg.logging_dir.trim()) return resolve(run.workDir, cfg.logging_dir.trim());
  } catch {
    // No readable config copy: the output folder is where HF writes by default.
  }
  return run.outputDir;
}

function runReports(run: Run): boolean {
  try {
    return reportsTo((YAML.parse(readFileSync(run.configPath, 'utf8')) ?? {}) as Record<string, unknown>, 'tensorboard');
  } catch {
    return false;
  }
}

/** Polls the port until TensorBoard answers HTTP, the process exits, or the time is up. */
async function answers(url: string, child: ChildProcess, ms: number): Promise<boolean> {
  const end = Date.now() + ms;
  while (Date.now() < end && child.exitCode === null && child.signalCode === null) {
    try {
      const r = await fetch(url, { signal: AbortSignal.timeout(2000) });
      if (r.status < 500) return true;
    } catch {
      // Not listening yet.
    }
    await new Promise((r) => setTimeout(r, 300));
  }
  return false;
}

export class TensorBoards {
  private running = new Map<string, { info: TensorBoardInfo; child: ChildProcess }>();

  constructor(private env: NodeJS.ProcessEnv, private trainerProgram: () => string | null) {}

  list(): TensorBoardInfo[] {
    return [...this.running.values()].map((t) => t.info);
  }

  /** One TensorBoard per set of runs: asking again for the same set returns the one already running. */
  async start(runs: Run[]): Promise<TensorBoardInfo> {
    const key = runs.map((r) => r.id).sort().join(',');
    const have = this.running.get(key);
    if (have && have.child.exitCode === null) return have.info;
    const silent = runs.filter((r) => !runReports(r));
    if (silent.length) throw new RpcError('bad_request', `${silent.map((r) => r.name).join(', ')} did not log to TensorBoard: set report_to: tensorboard in the config.`);
    const found = findTensorBoard(this.trainerProgram(), this.env);
    if ('missing' in found) throw new RpcError('unavailable', found.missing);
    const dirs = runs.map((r) => ({ name: r.name.replace(/[,:]/g, '_'), dir: runLogDir(r) }));
    const absent = dirs.filter((d) => !existsSync(d.dir));
    if (absent.length) throw new RpcError('not_found', `No TensorBoard logs yet in ${absent.map((d) => d.dir).join(', ')}.`);
    const port = await freePort([], 16006, 16999);
    // One run: its folder. Several: --logdir_spec names each, so the runs are told apart in TensorBoard's list.
    const logArgs = dirs.length === 1 ? ['--logdir', dirs[0]!.dir] : ['--logdir_spec', dirs.map((d) => `${d.name}:${d.dir}`).join(',')];
    const [program, ...pre] = found.argv;
    const child = spawn(program!, [...pre, ...logArgs, '--host', '127.0.0.1', '--port', String(port)], { env: this.env, stdio: ['ignore', 'pipe', 'pipe'] });
    let out = '';
    const keep = (d: Buffer) => (out = (out + d.toString()).slice(-4000));
    child.stdout!.on('data', keep);
    child.stderr!.on('data', keep);
    child.on('error', (e) => (out += `\n${e.message}`));
    const url = `http://127.0.0.1:${port}/`;
    if (!(await answers(url, child, 60_000))) {
      child.kill('SIGKILL');
      throw new RpcError('unavailable', `TensorBoard did not start: ${out.trim().split('\n').slice(-3).join(' ') || 'no answer on its port'}`);
    }
    const info: TensorBoardInfo = { id: `tb_${port}`, runIds: runs.map((r) => r.id), url };
    this.running.set(key, { info, child });
    child.once('exit', () => this.running.get(key)?.child === child && this.running.delete(key));
    return info;
  }

  stop(id: string): void {
    for (const [key, t] of this.running) if (t.info.id === id) {
      t.child.kill('SIGTERM');
      this.running.delete(key);
    }
  }

  /** The engine stops (the app quits, serve ends): no TensorBoard outlives it. */
  stopAll(): void {
    for (const t of this.running.values()) t.child.kill('SIGTERM');
    this.running.clear();
  }
}
