/** One code path for every metrics source: feed bytes of trainer_log.jsonl or a console log, get records back (complete lines only). */
import { type BarUpdate, ConsoleParser, type ConsoleState } from './consoleParser.js';
import type { MetricRecord } from './record.js';
import { parseTrainerLogLine } from './trainerLog.js';
import { scanTrainerLogLine } from './trainerLogScan.js';

export type StreamFormat = 'trainer_log' | 'console';

export interface Parsed {
  /** In file order; `bars` are interleaved by index into records (bar i came after records[0..barAt[i])). */
  records: MetricRecord[];
  bars: BarUpdate[];
  warnings: string[];
}

const NL = 0x0a;
const CR = 0x0d;

export class SourceParser {
  readonly console: ConsoleParser | null;
  constructor(
    readonly format: StreamFormat,
    consoleState?: ConsoleState,
  ) {
    this.console = format === 'console' ? new ConsoleParser(consoleState) : null;
  }

  /**
   * Parses every complete line of `buf` and returns how many bytes it consumed: a partial last line waits for its
   * newline (LogCallback writes asynchronously, a poll can land mid-line). With `final`, the rest counts too.
   */
  feed(buf: Buffer, final = false): { consumed: number; parsed: Parsed } {
    const parsed: Parsed = { records: [], bars: [], warnings: [] };
    let end = buf.length;
    if (!final) {
      end = 0;
      for (let i = buf.length - 1; i >= 0; i--) {
        const c = buf[i];
        if (c === NL || (this.console && c === CR)) {
          end = i + 1;
          break;
        }
      }
    }
    if (end === 0) return { consumed: 0, parsed };
    if (this.console) {
      // Separators are ASCII, so cutting there never splits a UTF-8 sequence.
      const text = buf.toString('utf8', 0, end);
      for (const seg of text.split(/\r\n|\r|\n/)) {
        const { records, bar } = this.console.segment(seg);
        parsed.records.push(...records);
        if (bar) parsed.bars.push(bar);
      }
    } else {
      // Line by line from the bytes: the scanner reads LLaMA-Factory's flat lines without a string or an object per
      // line; a line it declines is decoded and parsed as text, exactly as before.
      for (let next = 0; next < end; ) {
        const s = next;
        let e = buf.indexOf(NL, s);
        if (e < 0 || e > end) e = end;
        next = e + 1;
        const rec = scanTrainerLogLine(buf, s, e);
        if (rec) {
          parsed.records.push(rec);
          continue;
        }
        const r = parseTrainerLogLine(buf.toString('utf8', s, e));
        if (!r) continue;
        if ('record' in r) parsed.records.push(r.record);
        else parsed.warnings.push(r.warning);
      }
    }
    return { consumed: end, parsed };
  }
}
