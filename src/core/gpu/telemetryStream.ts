/** The ONE long-lived `nvidia-smi --query-gpu … -lms N` child: spawns it, feeds its bytes to the parser, reports exit. */
import { spawn, type ChildProcess } from 'node:child_process';
import { queryGpuArgs } from './detect.js';
import { StreamParser, type StreamTick } from './streamParser.js';

export interface StreamHandlers {
  onTick(tick: StreamTick): void;
  /** The child ended (crashed, killed, or the driver went away); `stderr` is its last words. */
  onExit(info: { code: number | null; signal: NodeJS.Signals | null; stderr: string; ticks: number }): void;
}

export class TelemetryStream {
  private child: ChildProcess | null = null;
  private stderr = '';
  private finish: ((code: number | null, signal: NodeJS.Signals | null) => void) | null = null;
  ticks = 0;
  /** ms since epoch of the last complete line: the monitor's watchdog kills a silent (hung) stream. */
  lastLineAt = Date.now();
  readonly parser: StreamParser;

  constructor(
    readonly tool: string,
    readonly intervalMs: number,
    private readonly env: NodeJS.ProcessEnv,
    expectedCount: () => number,
    private readonly handlers: StreamHandlers,
  ) {
    this.parser = new StreamParser((tick) => {
      // Only ticks with GPUs count as "healthy" (the monitor backs off a stream that dies young or talks garbage).
      if (tick.gpus.length > 0) this.ticks++;
      this.handlers.onTick(tick);
    }, expectedCount);
  }

  get pid(): number | undefined {
    return this.child?.pid;
  }

  start(): void {
    const child = spawn(this.tool, queryGpuArgs(['-lms', String(this.intervalMs)]), {
      env: this.env,
      stdio: ['ignore', 'pipe', 'pipe'],
    });
    this.child = child;
    this.lastLineAt = Date.now();
    child.stdout!.setEncoding('utf8').on('data', (d: string) => {
      const before = this.parser.lines;
      this.parser.push(d);
      if (this.parser.lines !== before) this.lastLineAt = Date.now();
    });
    child.stderr!.setEncoding('utf8').on('data', (d: string) => {
      this.stderr = (this.stderr + d).slice(-4096);
    });
    let ended = false;
    const end = (code: number | null, signal: NodeJS.Signals | null) => {
      if (ended) return;
      ended = true;
      this.child = null;
      this.handlers.onExit({ code, signal, stderr: this.stderr, ticks: this.ticks });
    };
    this.finish = end;
    child.on('error', () => end(null, null));
    child.on('close', (code, signal) => end(code, signal));
  }

  /** SIGTERM, then SIGKILL if it is still there after a grace period; resolves when it has gone (or 2 s passed). */
  stop(): Promise<void> {
    const child = this.child;
    if (!child || child.exitCode !== null || child.signalCode !== null) return Promise.resolve();
    return new Promise((resolve) => {
      const done = setTimeout(resolve, 2000);
      const kill = setTimeout(() => child.kill('SIGKILL'), 1000);
      done.unref?.();
      kill.unref?.();
      child.once('close', () => {
        clearTimeout(done);
        clearTimeout(kill);
        resolve();
      });
      child.kill('SIGTERM');
    });
  }

  /** For a hung child: no grace. */
  kill(): void {
    if (!this.child) return;
    this.child.kill('SIGKILL');
    // A child stuck in the driver (D state) may never close its pipes: report the end anyway so the monitor moves on.
    const finish = this.finish;
    setTimeout(() => finish?.(null, 'SIGKILL'), 1000).unref?.();
  }
}
