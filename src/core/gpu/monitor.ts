/** The GPU monitor: detection with retry, the live -lms stream, compute-apps attribution, and the current snapshot. */
import type { GpuInfo, GpuNotice, GpuProcess, GpuSnapshot } from '../../shared/types/gpu.js';
import { attributeProcesses, type PidResolver } from './attribution.js';
import { queryComputeCaps } from './computeCap.js';
import { createHostSampler } from './hostStats.js';
import { createProcInfoReader } from './procInfo.js';
import { cpuDevice } from './cpuDevice.js';
import { DEFAULT_TOOL_TIMEOUT_MS, detectGpus, detectRocm, queryComputeApps, type Detection } from './detect.js';
import { TelemetryStream } from './telemetryStream.js';
import { logger } from '../log/logger.js';

const log = logger('gpu');

export type { PidResolver } from './attribution.js';

/** One sample in this long while idle (the history keeps a point, the scheduler nothing to wait for). */
const IDLE_INTERVAL_MS = 5_000;
const APPS_HEARTBEAT_MS = 30_000;
/** Memory moving by more than this on a card means processes came, grew or went. */
const MEMORY_CHANGE_MIB = 64;
const MIN_APPS_GAP_MS = 1_000;
const DETECT_TIMEOUT_MS = 60_000;
const SLOW_HINT_MS = 10_000;
const SLOW_DETECTION = {
  message: 'Waiting for nvidia-smi to answer…',
  hint: 'It is slow to start: without persistence mode the driver initialises every GPU on each call (10–25 s on multi-GPU machines). `sudo nvidia-smi -pm 1` (or the nvidia-persistenced service) makes it answer at once.',
};

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
  /** Heartbeat of the process query while someone looks or something runs (memory changes trigger it sooner). */
  appsIntervalMs?: number;
  /** Timeout of one-shot queries after detection (the process list). */
  toolTimeoutMs?: number;
  /**
   * How long detection waits for nvidia-smi before calling the driver hung. Without persistence mode a multi-GPU box
   * initialises every GPU on each call: 10–25 s is normal for the first one.
   */
  detectTimeoutMs?: number;
  /** After this long still detecting, the notice says how to make nvidia-smi answer fast (persistence mode). */
  slowHintMs?: number;
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
  /** Whether a run lives or waits (set by the host); with no viewer either, the monitor idles. */
  private demand: () => boolean = () => true;
  private viewers = 0;
  /** Memory used per GPU at the last process query: a change is the cue to ask again. */
  private lastAppsMemory = new Map<string, number>();
  private lastAppsAt = 0;
  /** uuid → compute capability, read once per detection (static per card) and stamped on every sample. */
  private caps = new Map<string, string>();
  private readonly host: ReturnType<typeof createHostSampler>;
  /** Owner and command line of GPU processes (passwd cached across queries). */
  private readonly procInfo: ReturnType<typeof createProcInfoReader>;

  constructor(private readonly opts: MonitorOptions) {
    this.timeoutMs = opts.toolTimeoutMs ?? DEFAULT_TOOL_TIMEOUT_MS;
    this.retryMs = opts.retryBaseMs ?? 2000;
    this.host = createHostSampler(opts.procRoot);
    this.procInfo = createProcInfoReader(opts.procRoot);
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

  /** The host says whether runs live or wait: with neither, and no page open, the monitor idles. */
  setDemand(fn: () => boolean): void {
    this.demand = fn;
  }

  /** A page started (+1) or stopped (−1) following the GPUs. */
  viewer(delta: 1 | -1): void {
    const wasIdle = this.idle;
    this.viewers = Math.max(0, this.viewers + delta);
    if (wasIdle && !this.idle) this.wake();
  }

  /**
   * Idle: nobody looks and nothing runs or waits. Then the per-process query (most of the CPU an idle engine spent:
   * a process spawned every few seconds) is not asked at all, and the stream slows to one sample in IDLE_INTERVAL_MS.
   */
  get idle(): boolean {
    if (this.viewers > 0) return false;
    try {
      return !this.demand();
    } catch {
      return false;
    }
  }

  /** Something changed that needs fresh figures (a page opened, a run started): leave the idle pace now. */
  wake(): void {
    if (this.stream && this.streamInterval() !== this.stream.intervalMs) void this.stream.stop();
    void this.sampleApps();
  }

  private streamInterval(): number {
    const active = this.opts.intervalMs();
    return this.idle ? Math.max(IDLE_INTERVAL_MS, active) : active;
  }

  /** Starts detection and resolves at once: the board paints from the store while GPUs are looked for. */
  async start(): Promise<void> {
    this.stopped = false;
    void this.detect();
    // The heartbeat of the process query; memory changes on a card ask sooner (onTick), idle asks nothing.
    const appsEvery = this.opts.appsIntervalMs ?? APPS_HEARTBEAT_MS;
    this.every(appsEvery, () => {
      if (!this.idle) void this.sampleApps();
    });
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
    const timeout = this.opts.detectTimeoutMs ?? DETECT_TIMEOUT_MS;
    // A slow first answer is normal on multi-GPU boxes without persistence mode: say so while we wait, never "hung".
    const hint = setTimeout(() => {
      if (this.current.notice?.kind !== 'detecting' || this.stopped) return;
      this.publish({ ...this.current, notice: { ...this.current.notice, ...SLOW_DETECTION }, at: Date.now() });
    }, this.opts.slowHintMs ?? SLOW_HINT_MS);
    hint.unref?.();
    let d: Detection;
    try {
      d = await detectGpus(this.opts.env, timeout);
    } finally {
      clearTimeout(hint);
      this.detecting = false;
    }
    if (this.stopped) return;
    if (!d.ok) return this.fallBack(d.notice);
    this.retryMs = this.opts.retryBaseMs ?? 2000;
    this.stopCpuTicks();
    this.mode = { kind: d.source === 'nvidia-smi' ? 'nvidia' : 'rocm', tool: d.tool };
    if (d.source === 'nvidia-smi') this.caps = await queryComputeCaps(d.tool, this.opts.env, this.timeoutMs);
    if (this.stopped) return;
    this.publish({ source: d.source, gpus: this.withCaps(d.gpus), processes: this.current.processes, notice: null, at: Date.now() });
    if (d.source === 'nvidia-smi') this.startStream(d.tool);
    else this.pollRocm(d.tool);
    if (!this.idle) void this.sampleApps();
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
    const interval = this.streamInterval();
    let restartNow = false;
    const stream = new TelemetryStream(tool, interval, this.opts.env, () => this.current.gpus.length, {
      onTick: (tick) => {
        if (this.stream !== stream || this.stopped) return;
        if (tick.gpus.length === 0) {
          // Only unreadable lines: the stream is talking garbage. Stop it; detection will say what is wrong.
          stream.kill();
          return;
        }
        this.publish({ source: 'nvidia-smi', gpus: this.withCaps(tick.gpus), processes: this.current.processes, notice: null, at: Date.now() });
        if (this.memoryMoved(tick.gpus)) void this.sampleApps();
        if (this.streamInterval() !== interval && !restartNow) {
          // The interval setting changed, or the engine went idle or woke up: restart the stream at the new pace.
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

  /**
   * Whether memory on any card moved since the last process query (a process started, grew or ended): then the
   * process list is stale. Small drift (the driver's own bookkeeping) is not a change.
   */
  private memoryMoved(gpus: readonly { uuid: string; memoryUsedMiB: number | null }[]): boolean {
    if (this.idle || Date.now() - this.lastAppsAt < MIN_APPS_GAP_MS) return false;
    return gpus.some((g) => g.memoryUsedMiB !== null && Math.abs(g.memoryUsedMiB - (this.lastAppsMemory.get(g.uuid) ?? 0)) > MEMORY_CHANGE_MIB);
  }

  private async sampleApps(): Promise<void> {
    if (this.appsBusy || this.stopped || this.mode.kind !== 'nvidia') return;
    this.appsBusy = true;
    this.lastAppsAt = Date.now();
    for (const g of this.current.gpus) if (g.memoryUsedMiB !== null) this.lastAppsMemory.set(g.uuid, g.memoryUsedMiB);
    try {
      const apps = await queryComputeApps(this.mode.tool, this.opts.env, this.timeoutMs);
      if (apps === null || this.stopped || this.mode.kind !== 'nvidia') return;
      const processes: GpuProcess[] = attributeProcesses(apps, this.current.gpus, this.resolver, this.opts.procRoot, this.procInfo);
      this.current = { ...this.current, processes };
    } finally {
      this.appsBusy = false;
    }
  }

  private withCaps(gpus: GpuInfo[]): GpuInfo[] {
    return this.caps.size === 0 ? gpus : gpus.map((g) => ({ ...g, computeCap: this.caps.get(g.uuid) ?? null }));
  }

  private publish(s: GpuSnapshot): void {
    // The host's CPU and RAM ride on every sample: two small /proc reads, no process spawned.
    this.current = { ...s, host: this.host.sample() };
    s = this.current;
    for (const l of [...this.listeners]) {
      try {
        l(s);
      } catch (e) {
        log.error('snapshot listener failed', e);
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
