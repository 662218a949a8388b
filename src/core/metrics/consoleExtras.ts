/** The console-only metrics of a run that has trainer_log.jsonl: HF's log dict carries grad_norm, which LLaMA-Factory's LogCallback never writes to the file. */
import { closeSync, fstatSync, openSync, readSync } from 'node:fs';
import { type ConsoleState, initialConsoleState } from './consoleParser.js';
import { SourceParser } from './sourceParser.js';

/**
 * Fields HF's Trainer.log prints (`{'loss': …, 'grad_norm': …, 'learning_rate': …, 'epoch': …}`) that LogCallback.on_log
 * leaves out of trainer_log.jsonl (LF ff6d4d1 src/llamafactory/train/callbacks.py:277-293 lists what it writes).
 */
export const CONSOLE_ONLY_KEYS: readonly string[] = ['grad_norm'];

export interface ConsoleExtrasState {
  offset: number;
  console: ConsoleState;
  /** HF training dicts (a loss and a grad_norm) read so far: the n-th is the n-th loss line of trainer_log.jsonl. */
  lossDicts?: number;
}

export interface ConsoleExtra {
  /** Inferred from the progress bar: it can lag a step behind (tqdm repaints lazily), so only a fallback. */
  step: number;
  /** 1-based rank among the training dicts, or null for a dict without a loss. */
  ordinal: number | null;
  extra: Record<string, number>;
}

/** Reads the run's console log from where it stopped (complete lines only, at most `maxBytes` a call). */
export class ConsoleExtras {
  private parser: SourceParser;
  constructor(
    private path: string,
    public state: ConsoleExtrasState = { offset: 0, console: initialConsoleState() },
  ) {
    this.parser = new SourceParser('console', state.console);
  }

  /** At most `maxReads` reads a call: a long console log is caught up over several polls without freezing the engine. */
  read(maxBytes = 1024 * 1024, maxReads = 4): ConsoleExtra[] {
    let fd: number;
    try {
      fd = openSync(this.path, 'r');
    } catch {
      return [];
    }
    const out: ConsoleExtra[] = [];
    try {
      const size = fstatSync(fd).size;
      if (size < this.state.offset) this.state.offset = 0;
      let reads = 0;
      while (this.state.offset < size && reads++ < maxReads) {
        const len = Math.min(maxBytes, size - this.state.offset);
        const buf = Buffer.allocUnsafe(len);
        const n = readSync(fd, buf, 0, len, this.state.offset);
        if (n <= 0) break;
        const { consumed, parsed } = this.parser.feed(buf.subarray(0, n));
        // A line longer than the read: skip it rather than stall on it.
        this.state.offset += consumed || (n === maxBytes ? n : 0);
        if (!consumed) break;
        for (const r of parsed.records) {
          const extra: Record<string, number> = {};
          for (const k of CONSOLE_ONLY_KEYS) if (r.extra[k] !== undefined) extra[k] = r.extra[k]!;
          if (!Object.keys(extra).length) continue;
          // Only HF's own dict carries grad_norm; LLaMA-Factory's short loss line beside it (LLAMABOARD_ENABLED) does
          // not, so ranking the dicts with a loss and a grad_norm counts each logged step once.
          const ordinal = r.loss !== null ? (this.state.lossDicts = (this.state.lossDicts ?? 0) + 1) : null;
          if (r.step === null && ordinal === null) continue;
          out.push({ step: r.step ?? 0, ordinal, extra });
        }
      }
    } finally {
      closeSync(fd);
    }
    this.state.console = this.parser.console!.state;
    return out;
  }
}
