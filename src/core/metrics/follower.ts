/** Follows one run's metrics source by byte offset (fs.watch + a fallback poll) into SQLite, resuming exactly from the stored cursor. */
import { closeSync, existsSync, fstatSync, openSync, readSync, watch, type FSWatcher } from 'node:fs';
import { join } from 'node:path';
import type { MetricPoint, RunProgress } from '../../shared/types/run.js';
import type { MetricsRepo } from '../store/metricsRepo.js';
import { ConsoleExtras, type ConsoleExtrasState } from './consoleExtras.js';
import { type BarUpdate, type ConsoleState, initialConsoleState } from './consoleParser.js';
import type { MetricRecord } from './record.js';
import { initialSeriesState, MetricSeries, ProgressTracker, type SeriesState } from './series.js';
import { SourceParser, type StreamFormat } from './sourceParser.js';

export interface FollowerOptions {
  runId: string;
  /** Where trainer_log.jsonl appears (null for runs without one, e.g. API servers). */
  outputDir: string | null;
  consolePath: string;
  repo: MetricsRepo;
  onPoints(points: MetricPoint[], reset: boolean): void;
  onProgress(progress: RunProgress): void;
  pollMs?: number;
  /** Largest read per poll; a huge backlog is caught up over several polls, never in one allocation. */
  maxReadBytes?: number;
}

interface PersistedState {
  series?: SeriesState;
  console?: ConsoleState;
  nanLoss?: boolean;
  /** Where the console-only fields (grad_norm) of a trainer_log run were read up to. */
  extras?: ConsoleExtrasState;
  lossLines?: number;
}

export class MetricsFollower {
  private format: StreamFormat;
  private offset = 0;
  private series: MetricSeries;
  private parser: SourceParser;
  private tracker = new ProgressTracker();
  private extras: ConsoleExtras;
  /**
   * Steps of trainer_log.jsonl's loss lines in order, this engine's session: the console dict printed with the n-th of
   * them is the n-th training dict, so its grad_norm belongs to that very step (the bar's count can lag one behind).
   */
  private lossSteps = new Map<number, number>();
  /** trainer_log.jsonl loss lines read so far (persisted with the cursor, so ranks survive an engine restart). */
  private lossLines: number;
  private timer: NodeJS.Timeout | null = null;
  private watchers: FSWatcher[] = [];
  private pending: NodeJS.Timeout | null = null;
  readonly warnings = new Set<string>();
  nanLoss = false;

  constructor(private o: FollowerOptions) {
    const c = o.repo.cursor(o.runId);
    const st = (c?.state ?? {}) as PersistedState;
    this.format = c?.source === 'trainer_log' ? 'trainer_log' : this.trainerLogExists() ? 'trainer_log' : 'console';
    this.offset = c?.offset ?? 0;
    this.series = new MetricSeries(st.series ?? initialSeriesState());
    this.parser = new SourceParser(this.format, st.console ?? initialConsoleState());
    this.nanLoss = st.nanLoss ?? false;
    this.extras = new ConsoleExtras(o.consolePath, st.extras);
    this.lossLines = st.lossLines ?? 0;
  }

  get source(): StreamFormat {
    return this.format;
  }

  private trainerLogPath(): string | null {
    return this.o.outputDir ? join(this.o.outputDir, 'trainer_log.jsonl') : null;
  }

  private trainerLogExists(): boolean {
    const p = this.trainerLogPath();
    return !!p && existsSync(p);
  }

  start(): void {
    const kick = () => {
      if (this.pending) return;
      this.pending = setTimeout(() => {
        this.pending = null;
        this.pollSafe();
      }, 50);
    };
    for (const dir of [this.o.outputDir, join(this.o.consolePath, '..')]) {
      if (!dir || !existsSync(dir)) continue;
      try {
        this.watchers.push(watch(dir, kick));
      } catch {
        // Some filesystems (NFS, FUSE) do not notify: the interval below still catches up.
      }
    }
    this.timer = setInterval(() => this.pollSafe(), this.o.pollMs ?? 1000);
    this.pollSafe();
  }

  stop(): void {
    if (this.timer) clearInterval(this.timer);
    if (this.pending) clearTimeout(this.pending);
    for (const w of this.watchers) w.close();
    this.watchers = [];
    this.timer = null;
  }

  private pollSafe(): void {
    try {
      // One read per turn of the event loop: catching up a huge backlog must not freeze the engine for seconds.
      this.poll(1);
      if (this.behind && this.timer) setImmediate(() => this.timer && this.pollSafe());
    } catch (e) {
      this.warnings.add(`Metrics tail failed: ${e instanceof Error ? e.message : String(e)}`);
    }
  }

  /** True when the last poll stopped at its read limit with more bytes waiting. */
  behind = false;

  /** Reads what is new (complete lines, at most `maxReads` reads) and commits it; returns the number of new points. */
  poll(maxReads = Number.POSITIVE_INFINITY): number {
    if (this.format === 'console' && this.trainerLogExists()) {
      // trainer_log.jsonl is the authority; console dicts were only a stand-in until it appeared.
      this.o.repo.reset(this.o.runId);
      this.format = 'trainer_log';
      this.offset = 0;
      this.series = new MetricSeries();
      this.parser = new SourceParser('trainer_log');
      this.tracker = new ProgressTracker();
      // The console points held grad_norm themselves and are gone: read it again beside the file.
      this.extras = new ConsoleExtras(this.o.consolePath);
      this.o.onPoints([], true);
    }
    const file = this.format === 'trainer_log' ? this.trainerLogPath()! : this.o.consolePath;
    let fd: number;
    try {
      fd = openSync(file, 'r');
    } catch {
      return 0;
    }
    let total = 0;
    try {
      const size = fstatSync(fd).size;
      if (size < this.offset) {
        // Truncated or replaced (overwrite_output_dir deletes trainer_log.jsonl): read the new file from the start.
        this.warnings.add(`${file} shrank; reading it again from the start.`);
        this.offset = 0;
      }
      const max = this.o.maxReadBytes ?? 4 * 1024 * 1024;
      let reads = 0;
      let waiting = false;
      while (this.offset < size && reads++ < maxReads) {
        const len = Math.min(max, size - this.offset);
        const buf = Buffer.allocUnsafe(len);
        const n = readSync(fd, buf, 0, len, this.offset);
        if (n <= 0) break;
        const { consumed, parsed } = this.parser.feed(buf.subarray(0, n));
        if (consumed === 0) {
          waiting = n < max;
          if (n === max) this.warnings.add(`A line longer than ${max} bytes in ${file} was skipped.`);
          if (n === max) this.offset += n;
          break;
        }
        for (const w of parsed.warnings) this.warnings.add(w);
        total += this.commit(parsed.records, parsed.bars, consumed);
      }
      // A partial last line is not "behind": it waits for its newline (and the next fs event or tick).
      this.behind = !waiting && this.offset < size;
    } finally {
      closeSync(fd);
    }
    if (this.format === 'trainer_log') total += this.commitExtras();
    return total;
  }

  private cursor() {
    const s = this.series.state;
    return {
      source: this.format,
      offset: this.offset,
      seq: s.seq,
      segment: s.segment,
      lastStep: s.lastStep,
      state: { series: s, console: this.parser.console?.state, nanLoss: this.nanLoss, extras: this.extras.state, lossLines: this.lossLines } satisfies PersistedState,
    };
  }

  /**
   * grad_norm of a trainer_log run, from the console dicts: stored as points of their own (no loss, no lr) at the step
   * the console parser places them, in the current segment. Not fed to the progress tracker: they are no new step.
   */
  private commitExtras(): number {
    const before = this.extras.state.offset;
    const found = this.extras.read();
    if (this.extras.state.offset === before) return 0;
    const s = this.series.state;
    const now = Date.now();
    const stepOf = (e: (typeof found)[number]) => (e.ordinal !== null ? (this.lossSteps.get(e.ordinal) ?? e.step) : e.step);
    const points = found.map((e) => ({ seq: ++s.seq, step: stepOf(e), segment: s.segment, at: now, elapsedSeconds: null, extra: e.extra }));
    this.o.repo.commit(this.o.runId, points, this.cursor());
    if (points.length) this.o.onPoints(points.map(({ seq: _s, ...p }) => p), false);
    return points.length;
  }

  private commit(records: MetricRecord[], bars: BarUpdate[], consumed: number): number {
    const now = Date.now();
    const points: (MetricPoint & { seq: number })[] = [];
    for (const r of records) {
      const p = this.series.push(r, now);
      if (p) points.push(p);
      if (p && this.format === 'trainer_log' && r.loss !== null) {
        this.lossSteps.set(++this.lossLines, p.step);
        // The console is read right after the file: only the last few ranks can still be asked for.
        if (this.lossSteps.size > 1024) this.lossSteps.delete(this.lossLines - 1024);
      }
    }
    if (this.series.nanLoss) this.nanLoss = true;
    this.offset += consumed;
    const s = this.series.state;
    this.o.repo.commit(this.o.runId, points, this.cursor());
    let progress: RunProgress | null = null;
    for (const p of points) progress = this.tracker.point(p, s.totalSteps);
    const bar = bars.at(-1);
    if (bar && this.format === 'console') progress = this.tracker.bar(bar.step, bar.total, bar.elapsedSeconds, now);
    if (points.length) this.o.onPoints(points.map(({ seq: _s, ...p }) => p), false);
    if (progress) this.o.onProgress({ ...progress });
    return points.length;
  }
}
