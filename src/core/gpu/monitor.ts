/** The GPU monitor: detection with retry, the live -lms stream, compute-apps attribution, and the current snapshot. */
import type { GpuNotice, GpuProcess, GpuSnapshot } from '../../shared/types/gpu.js';
import { attributeProcesses, type PidResolver } from './attribution.js';
import { cpuDevice } from './cpuDevice.js';
import { DEFAULT_TOOL_TIMEOUT_MS, detectGpus, detectRocm, queryComputeApps, type Detection } from './detect.js';
import { TelemetryStream } from './telemetryStream.js';

export type { PidResolver } from './attribution.js';

export interface GpuMonitor {
  snapshot(): GpuSnapshot;
  /** Called on every sample tick (and on every change of source or notice). Returns an unsubscribe. */
  onSnapshot(listener: (s: GpuSnapshot) => void): () => void;
  /** The runs domain maps a pid (or any ancestor) to its run; unmatched GPU processes show as external. */
  setPidResolver(fn: PidResolver): void;
}

export interface MonitorOptions {
  env: NodeJS.ProcessEnv;
  /** Read on each (re)start of the stream, so a settings change takes effect without a restart of the app. */
  intervalMs: () => number;
  appsIntervalMs?: number;
  toolTimeoutMs?: number;
  /** Backoff of the detection retry when no GPU is readable (doubles up to retryMaxMs). */
  retryBaseMs?: number;
  retryMaxMs?: number;
  procRoot?: string;
}

export class Monitor implements GpuMonitor {
  private current: GpuSnapshot;
  private listeners = new Set<(s: GpuSnapshot) => void>();
  private resolver: PidResolver = () => null;
  private stream: TelemetryStream | null = null;
  private mode: { kind: 'none' } | { kind: 'nvidia' | 'rocm'; tool: string } = { kind: 'none' };
  private timers = new Set<NodeJS.Timeout>();
  private cpuTimer: NodeJS.Timeout | null = null;
  private retryMs: number;
  private stopped = false;
  private detecting = false;
  private appsBusy = false;
  private readonly timeoutMs: number;

  constructor(private readonly opts: MonitorOptions) {
    this.timeoutMs = opts.toolTimeoutMs ?? DEFAULT_TOOL_TIMEOUT_MS;
    this.retryMs = opts.retryBaseMs ?? 2000;
    this.current = {
      source: 'cpu',
      gpus: [cpuDevice()],
      processes: [],
      notice: { kind: 'detecting', message: 'Looking for GPUs…', hint: 'This takes a moment at start.' },
      at: Date.now(),
    };
  }

  snapshot(): GpuSnapshot {
    return this.current;
  }

  onSnapshot(listener: (s: GpuSnapshot) => void): () => void {
    this.listeners.add(listener);
    return () => this.listeners.delete(listener);
  }

  setPidResolver(fn: PidResolver): void {
    this.resolver = fn;
  }

  /** Pid of the live -lms child (null when none): tests and the benchmark check there is exactly one. */
  get streamPid(): number | null {
    return this.stream?.pid ?? null;
  }

  /** Samples GPU processes now instead of at the next period (the runs domain calls it right after a launch). */
  refreshProcesses(): Promise<void> {
    return this.sampleApps();
  }

  /** Resolves after the first answer, or after ~1 s if the tool is slow (the snapshot updates when it answers). */
  async start(): Promise<void> {
    this.stopped = false;
    const first = this.detect();
    const appsEvery = this.opts.appsIntervalMs ?? Math.max(3000, 2 * this.opts.intervalMs());
    this.every(appsEvery, () => void this.sampleApps());
    await Promise.race([first, new Promise((r) => this.after(1000, r))]);
  }

  async stop(): Promise<void> {
    this.stopped = true;
    for (const t of this.timers) clearTimeout(t);
    this.timers.clear();
    this.stopCpuTicks();
    const s = this.stream;
    this.stream = null;
    await s?.stop();
  }

  /** One detection pass; on success the stream (NVIDIA) or the poller (AMD) takes over, else CPU + retry. */
  private async detect(): Promise<void> {
    if (this.detecting || this.stopped) return;
    this.detecting = true;
    let d: Detection;
    try {
      d = await detectGpus(this.opts.env, this.timeoutMs);
    } finally {
      this.detecting = false;
    }
    if (this.stopped) return;
    if (!d.ok) return this.fallBack(d.notice);
    this.retryMs = this.opts.retryBaseMs ?? 2000;
    this.stopCpuTicks();
    this.mode = { kind: d.source === 'nvidia-smi' ? 'nvidia' : 'rocm', tool: d.tool };
    this.publish({ source: d.source, gpus: d.gpus, processes: this.current.processes, notice: null, at: Date.now() });
    if (d.source === 'nvidia-smi') this.startStream(d.tool);
    else this.pollRocm(d.tool);
    void this.sampleApps();
  }

  /** No readable GPU: show the CPU device with the reason, keep ticking, and try again later (doubling the wait). */
  private fallBack(notice: GpuNotice): void {
    this.mode = { kind: 'none' };
    this.publish({ source: 'cpu', gpus: [cpuDevice()], processes: [], notice, at: Date.now() });
    if (!this.cpuTimer) {
      this.cpuTimer = setInterval(() => {
        if (this.mode.kind === 'none') this.publish({ ...this.current, gpus: [cpuDevice()], at: Date.now() });
      }, this.opts.intervalMs());
      this.cpuTimer.unref?.();
    }
    const wait = this.retryMs;
    this.retryMs = Math.min(this.retryMs * 2, this.opts.retryMaxMs ?? 60_000);
    this.after(wait, () => void this.detect());
  }

  private stopCpuTicks(): void {
    if (this.cpuTimer) clearInterval(this.cpuTimer);
    this.cpuTimer = null;
  }

  private startStream(tool: string): void {
    const interval = this.opts.intervalMs();
    let restartNow = false;
    const stream = new TelemetryStream(tool, interval, this.opts.env, () => this.current.gpus.length, {
      onTick: (tick) => {
        if (this.stream !== stream || this.stopped) return;
        if (tick.gpus.length === 0) {
          // Only unreadable lines: the stream is talking garbage. Stop it; detection will say what is wrong.
          stream.kill();
          return;
        }
        this.publish({ source: 'nvidia-smi', gpus: tick.gpus, processes: this.current.processes, notice: null, at: Date.now() });
        if (this.opts.intervalMs() !== interval && !restartNow) {
          // The interval setting changed: restart the stream with the new one.
          restartNow = true;
          void stream.stop();
        }
      },
      onExit: ({ ticks }) => {
        if (this.stream !== stream || this.stopped) return;
        this.stream = null;
        // It ran fine for a while: restart at once. It died young: back off so a broken driver is not hammered.
        const healthy = restartNow || ticks >= 5;
        const wait = healthy ? 0 : this.retryMs;
        if (!healthy) this.retryMs = Math.min(this.retryMs * 2, this.opts.retryMaxMs ?? 60_000);
        this.after(wait, () => void this.detect());
      },
    });
    this.stream = stream;
    stream.start();
    // Watchdog: a stream that goes silent is hung (driver trouble); kill it and let detection explain.
    const silentMs = Math.max(5000, 5 * interval);
    const watch = () => {
      if (this.stream !== stream || this.stopped) return;
      if (Date.now() - stream.lastLineAt > silentMs) stream.kill();
      else this.after(Math.min(silentMs, 2000), watch);
    };
    this.after(Math.min(silentMs, 2000), watch);
  }

  /** rocm-smi has no streaming JSON mode, so AMD is polled (one spawn per tick, never overlapping). */
  private pollRocm(tool: string): void {
    const tick = async () => {
      if (this.stopped || this.mode.kind !== 'rocm') return;
      const d = await detectRocm(tool, this.opts.env, this.timeoutMs);
      if (this.stopped) return;
      if (!d.ok) return this.fallBack(d.notice);
      this.publish({ source: 'rocm-smi', gpus: d.gpus, processes: [], notice: null, at: Date.now() });
      this.after(Math.max(this.opts.intervalMs(), 2000), () => void tick());
    };
    this.after(Math.max(this.opts.intervalMs(), 2000), () => void tick());
  }

  private async sampleApps(): Promise<void> {
    if (this.appsBusy || this.stopped || this.mode.kind !== 'nvidia') return;
    this.appsBusy = true;
    try {
      const apps = await queryComputeApps(this.mode.tool, this.opts.env, this.timeoutMs);
      if (apps === null || this.stopped || this.mode.kind !== 'nvidia') return;
      const processes: GpuProcess[] = attributeProcesses(apps, this.current.gpus, this.resolver, this.opts.procRoot);
      this.current = { ...this.current, processes };
    } finally {
      this.appsBusy = false;
    }
  }

  private publish(s: GpuSnapshot): void {
    this.current = s;
    for (const l of [...this.listeners]) {
      try {
        l(s);
      } catch (e) {
        console.error('[gpu] snapshot listener failed:', e);
      }
    }
  }

  private after(ms: number, fn: (v?: unknown) => void): void {
    const t = setTimeout(() => {
      this.timers.delete(t);
      fn();
    }, ms);
    t.unref?.();
    this.timers.add(t);
  }

  private every(ms: number, fn: () => void): void {
    const loop = () => {
      fn();
      this.after(ms, loop);
    };
    this.after(ms, loop);
  }
}
