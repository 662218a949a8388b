/** Runs a GPU tool once with argv (never a shell), a hard timeout and an output cap; never throws. */
import { spawn } from 'node:child_process';

export interface ToolResult {
  code: number | null;
  signal: NodeJS.Signals | null;
  stdout: string;
  stderr: string;
  timedOut: boolean;
  /** Spawn error code (ENOENT, EACCES…) when the tool could not be started at all. */
  spawnError: string | null;
}

const MAX_OUTPUT = 4 * 1024 * 1024;

export function runTool(file: string, args: string[], env: NodeJS.ProcessEnv, timeoutMs: number): Promise<ToolResult> {
  return new Promise((resolve) => {
    let stdout = '';
    let stderr = '';
    let done = false;
    const finish = (r: Omit<ToolResult, 'stdout' | 'stderr'>) => {
      if (done) return;
      done = true;
      clearTimeout(timer);
      resolve({ ...r, stdout, stderr });
    };
    let child: ReturnType<typeof spawn>;
    try {
      child = spawn(file, args, { env, stdio: ['ignore', 'pipe', 'pipe'] });
    } catch (e) {
      resolve({ code: null, signal: null, stdout, stderr, timedOut: false, spawnError: (e as NodeJS.ErrnoException).code ?? String(e) });
      return;
    }
    const timer = setTimeout(() => {
      // A hung nvidia-smi is usually stuck in the driver; SIGKILL is all that can work, and it may sit in D state
      // even then, so answer now instead of waiting for 'close'.
      child.kill('SIGKILL');
      finish({ code: null, signal: 'SIGKILL', timedOut: true, spawnError: null });
    }, timeoutMs);
    timer.unref?.();
    child.stdout!.setEncoding('utf8').on('data', (d: string) => {
      if (stdout.length < MAX_OUTPUT) stdout += d;
    });
    child.stderr!.setEncoding('utf8').on('data', (d: string) => {
      if (stderr.length < MAX_OUTPUT) stderr += d;
    });
    child.on('error', (e: NodeJS.ErrnoException) => finish({ code: null, signal: null, timedOut: false, spawnError: e.code ?? e.message }));
    child.on('close', (code, signal) => finish({ code, signal, timedOut: false, spawnError: null }));
  });
}
