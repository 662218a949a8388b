/** Incremental parser for the long-lived `nvidia-smi --query-gpu … -lms N` stream: bytes in, one tick of all GPUs out. */
import type { GpuInfo } from '../../shared/types/gpu.js';
import { GPU_QUERY_FIELDS, parseCsvRecords, recordToGpu } from './smiCsv.js';

export interface StreamTick {
  gpus: GpuInfo[];
  /** Lines of this tick that were not GPU rows. */
  bad: string[];
}

/**
 * nvidia-smi writes one line per GPU per interval, with no separator between intervals, and a pipe can cut a line
 * anywhere. So: complete lines only (a partial last line waits for its newline), and a tick ends when every expected
 * GPU has reported or when an index repeats (a GPU dropped a line, or the count changed).
 */
export class StreamParser {
  private pending = '';
  private batch = new Map<number, GpuInfo>();
  private bad: string[] = [];
  /** Lines (of any kind) seen; the monitor uses it to tell "silent" from "talking garbage". */
  lines = 0;

  constructor(
    private readonly onTick: (tick: StreamTick) => void,
    private readonly expectedCount: () => number,
    private readonly fields: readonly string[] = GPU_QUERY_FIELDS,
  ) {}

  push(chunk: string): void {
    const text = this.pending + chunk;
    const end = text.lastIndexOf('\n');
    if (end === -1) {
      this.pending = text;
      // A newline-free flood is garbage, not a line in progress: cap what we hold.
      if (this.pending.length > 64 * 1024) this.pending = this.pending.slice(-4096);
      return;
    }
    this.pending = text.slice(end + 1);
    for (const line of text.slice(0, end).split('\n')) this.line(line);
  }

  /** Emits what is held (the stream ended). */
  flush(): void {
    if (this.batch.size > 0 || this.bad.length > 0) this.emit();
  }

  private line(raw: string): void {
    const line = raw.replace(/\r$/, '');
    if (line.trim() === '') return;
    this.lines++;
    const { rows, bad } = parseCsvRecords(line, this.fields, 'name');
    const gpu = rows[0] ? recordToGpu(rows[0]) : null;
    if (!gpu) {
      // A header line (csv without noheader) is not garbage.
      if (!(rows.length === 0 && bad.length === 0)) this.bad.push(line);
      // Only garbage and no GPU row: report it as a (GPU-less) tick so the monitor can say so instead of waiting.
      if (this.batch.size === 0 && this.bad.length >= Math.max(4, this.expectedCount())) this.emit();
      return;
    }
    if (this.batch.has(gpu.index)) this.emit();
    this.batch.set(gpu.index, gpu);
    if (this.batch.size >= Math.max(1, this.expectedCount())) this.emit();
  }

  private emit(): void {
    const gpus = [...this.batch.values()].sort((a, b) => a.index - b.index);
    const bad = this.bad;
    this.batch = new Map();
    this.bad = [];
    this.onTick({ gpus, bad });
  }
}
