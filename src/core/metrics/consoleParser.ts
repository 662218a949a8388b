/** Metrics from a trainer's console: HF Trainer dicts (numbers or transformers 5.x quoted strings) and tqdm bars, split on \r and \n. */
import { type MetricRecord, parseDuration, recordFromFields, toNumber } from './record.js';

// CSI / OSC / two-char escapes: terminals colour and move the cursor; metrics never live inside them.
// eslint-disable-next-line no-control-regex
const ANSI = /\x1b(?:\[[0-?]*[ -/]*[@-~]|\][^\x07\x1b]*(?:\x07|\x1b\\)|[@-Z\\-_])/g;
export const stripAnsi = (s: string): string => s.replace(ANSI, '');

const TQDM = /(\d+)\/(\d+) \[((?:\d+:)?\d+:\d+)<((?:\d+:)?\d+:\d+|\?)(?:,\s*([\d.]+|\?)\s*(it\/s|s\/it))?/g;
const DICT = /\{'[^']+':\s*[^{}]*\}/g;
const DICT_ENTRY = /'([^']+)':\s*(?:'([^']*)'|"([^"]*)"|([^,}\s]+))/g;

export interface ConsoleState {
  totalSteps: number | null;
  numEpochs: number | null;
  /** Last step shown by the training progress bar (the bar whose total is the optimisation total). */
  barStep: number | null;
  barTotal: number | null;
}

export const initialConsoleState = (): ConsoleState => ({ totalSteps: null, numEpochs: null, barStep: null, barTotal: null });

export interface BarUpdate {
  step: number;
  total: number;
  elapsedSeconds: number | null;
}

export class ConsoleParser {
  constructor(public state: ConsoleState = initialConsoleState()) {}

  /**
   * Parses one segment (text between \r/\n separators). Returns the metric records in it and the last
   * progress-bar update, if any.
   */
  segment(raw: string): { records: MetricRecord[]; bar: BarUpdate | null } {
    const records: MetricRecord[] = [];
    let bar: BarUpdate | null = null;
    // Most console lines carry no metric: cheap substring checks decide which patterns are worth running at all.
    const hasDict = raw.includes("{'");
    const hasBar = raw.includes('/') && raw.includes('[');
    const hasBanner = raw.includes(' = ');
    if (!hasDict && !hasBar && !hasBanner) return { records, bar };
    const text = raw.includes('\x1b') ? stripAnsi(raw) : raw;
    const s = this.state;

    if (hasBanner) {
      const total = /Total optimization steps = ([\d,]+)/.exec(text);
      if (total) s.totalSteps = Number(total[1]!.replace(/,/g, ''));
      const epochs = /Num Epochs = ([\d,]+)/.exec(text);
      if (epochs) s.numEpochs = Number(epochs[1]!.replace(/,/g, ''));
    }

    if (hasBar) for (const m of text.matchAll(TQDM)) {
      const n = Number(m[1]);
      const t = Number(m[2]);
      // Eval/predict bars count batches with their own total: follow only the optimisation bar.
      const isTrainBar = s.totalSteps !== null ? t === s.totalSteps : t >= (s.barTotal ?? 0);
      if (!isTrainBar) continue;
      s.barTotal = t;
      s.barStep = n;
      bar = { step: n, total: t, elapsedSeconds: parseDuration(m[3]) };
    }

    if (hasDict) for (const m of text.matchAll(DICT)) {
      const fields: Record<string, unknown> = {};
      for (const e of m[0].matchAll(DICT_ENTRY)) {
        const value = e[2] ?? e[3] ?? e[4] ?? '';
        if (toNumber(value) !== null) fields[e[1]!] = value;
      }
      if (!Object.keys(fields).length) continue;
      const rec = recordFromFields(fields);
      if (rec.kind === 'progress') continue;
      rec.step = this.stepFor(rec);
      rec.totalSteps = s.totalSteps ?? s.barTotal;
      records.push(rec);
    }
    return { records, bar };
  }

  /**
   * Console dicts carry no step. Best: epoch × steps-per-epoch when the banner gave both totals. Next: the training
   * bar's last count (tqdm repaints lazily, so it can lag a few steps). Else null: the series numbers records 1, 2, 3…
   */
  private stepFor(rec: MetricRecord): number | null {
    const s = this.state;
    if (rec.epoch !== null && s.totalSteps && s.numEpochs) return Math.round((rec.epoch * s.totalSteps) / s.numEpochs);
    if (s.barStep !== null) return s.barStep;
    return null;
  }
}
