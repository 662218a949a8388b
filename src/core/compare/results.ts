/** Reads the results files LLaMA-Factory leaves in output_dir (*_results.json, trainer_state.json, generated_predictions.jsonl). */
import { statSync } from 'node:fs';
import { join } from 'node:path';
import type { PredictionRow, ResultFigures } from '../../shared/types/compare.js';
import { readRegularFileSync } from '../util/boundedRead.js';

/** all_results.json, trainer_state.json (its log of a long run is a few MB): far below this. */
const MAX_RESULTS_BYTES = 64 * 1024 * 1024;

/** A results file that could not be used, with why (an LFS pointer, bad JSON …); the rest still counts. */
export interface ResultsProblem {
  file: string;
  message: string;
}

const RESULT_FILES = ['all_results.json', 'train_results.json', 'eval_results.json', 'predict_results.json'];

/** Parses one `*_results.json` text into its numeric keys; throws a readable error for anything else. */
export function parseResultsJson(text: string, file = 'results'): Record<string, number> {
  if (text.startsWith('version https://git-lfs')) throw new Error(`${file} is a Git LFS pointer, not the results (run git lfs pull).`);
  let data: unknown;
  try {
    data = JSON.parse(text);
  } catch (e) {
    throw new Error(`${file} is not valid JSON: ${(e as Error).message}`, { cause: e });
  }
  if (!data || typeof data !== 'object' || Array.isArray(data)) throw new Error(`${file} is not a JSON object.`);
  const out: Record<string, number> = {};
  for (const [k, v] of Object.entries(data)) if (typeof v === 'number' && Number.isFinite(v)) out[k] = v;
  return out;
}

const pick = (raw: Record<string, number>, ...keys: string[]): number | undefined => {
  for (const k of keys) if (raw[k] !== undefined) return raw[k];
  return undefined;
};

/** Names the figures we show from a merged results object; DPO/KTO accuracy lives under `eval_rewards/accuracies`. */
export function figuresOf(raw: Record<string, number>): ResultFigures {
  const f: ResultFigures = { raw };
  const set = <K extends keyof ResultFigures>(k: K, v: ResultFigures[K] | undefined) => {
    if (v !== undefined) f[k] = v;
  };
  set('trainLoss', pick(raw, 'train_loss'));
  set('trainRuntimeS', pick(raw, 'train_runtime'));
  set('trainSamplesPerSec', pick(raw, 'train_samples_per_second'));
  set('tokensPerSec', pick(raw, 'effective_tokens_per_sec', 'train_tokens_per_second'));
  set('epoch', pick(raw, 'epoch'));
  set('totalFlos', pick(raw, 'total_flos'));
  set('evalLoss', pick(raw, 'eval_loss'));
  set('evalAccuracy', pick(raw, 'eval_accuracy', 'eval_rewards/accuracies'));
  set('bleu4', pick(raw, 'predict_bleu-4', 'eval_bleu-4'));
  set('rouge1', pick(raw, 'predict_rouge-1', 'eval_rouge-1'));
  set('rouge2', pick(raw, 'predict_rouge-2', 'eval_rouge-2'));
  set('rougeL', pick(raw, 'predict_rouge-l', 'eval_rouge-l'));
  set('predictRuntimeS', pick(raw, 'predict_runtime'));
  return f;
}

/** mtime+size keyed cache: the table reads hundreds of output dirs per query; unchanged files are parsed once. */
const cache = new Map<string, { key: string; value: unknown }>();

function cached<T>(path: string, parse: (text: string) => T): T | null {
  let st;
  try {
    st = statSync(path);
  } catch {
    return null;
  }
  const key = `${st.mtimeMs}:${st.size}`;
  const hit = cache.get(path);
  if (hit && hit.key === key) {
    if (hit.value instanceof Error) throw hit.value;
    return hit.value as T;
  }
  let value: T | Error;
  try {
    // Output folders are the user's: a results file that is not a regular file, or is absurdly large, is an error here.
    value = parse(readRegularFileSync(path, MAX_RESULTS_BYTES).toString('utf8'));
  } catch (e) {
    value = e instanceof Error ? e : new Error(String(e));
  }
  if (cache.size > 20_000) cache.clear();
  cache.set(path, { key, value });
  if (value instanceof Error) throw value;
  return value;
}

/** Merges every results file of a folder (later, more specific files win); problems are reported, not thrown. */
export function readResultsDir(dir: string): { figures: ResultFigures | null; problems: ResultsProblem[] } {
  const raw: Record<string, number> = {};
  const problems: ResultsProblem[] = [];
  let found = false;
  for (const name of RESULT_FILES) {
    try {
      const r = cached(join(dir, name), (t) => parseResultsJson(t, name));
      if (r) {
        found = true;
        Object.assign(raw, r);
      }
    } catch (e) {
      problems.push({ file: name, message: (e as Error).message });
    }
  }
  return { figures: found ? figuresOf(raw) : null, problems };
}

export interface LogEntry {
  step: number;
  epoch: number | null;
  tokens: number | null;
  values: Record<string, number>;
}

export interface TrainerState {
  globalStep: number | null;
  maxSteps: number | null;
  /** Training log entries (the final summary entry with train_runtime is left out; it is in `summary`). */
  log: LogEntry[];
  summary: Record<string, number> | null;
}

/** Parses HF's trainer_state.json; log_history entries carry loss/learning_rate/eval_* and DPO slash keys. */
export function parseTrainerState(text: string): TrainerState {
  const data = JSON.parse(text) as { global_step?: unknown; max_steps?: unknown; log_history?: unknown };
  if (!data || typeof data !== 'object' || !Array.isArray(data.log_history)) throw new Error('trainer_state.json has no log_history list.');
  const log: LogEntry[] = [];
  let summary: Record<string, number> | null = null;
  for (const e of data.log_history as Record<string, unknown>[]) {
    if (!e || typeof e !== 'object') continue;
    const values: Record<string, number> = {};
    for (const [k, v] of Object.entries(e)) if (typeof v === 'number' && Number.isFinite(v)) values[k] = v;
    if (values.train_runtime !== undefined) {
      summary = values;
      continue;
    }
    const step = values.step;
    if (step === undefined) continue;
    log.push({ step, epoch: values.epoch ?? null, tokens: values.num_input_tokens_seen ?? null, values });
  }
  const num = (v: unknown) => (typeof v === 'number' ? v : null);
  return { globalStep: num(data.global_step), maxSteps: num(data.max_steps), log, summary };
}

export function readTrainerState(dir: string): TrainerState | null {
  try {
    return cached(join(dir, 'trainer_state.json'), parseTrainerState);
  } catch {
    return null;
  }
}

/** generated_predictions.jsonl: `{prompt?, predict, label}` per line (older LLaMA-Factory wrote no prompt); bad lines are counted. */
export function parsePredictions(text: string): { rows: PredictionRow[]; badLines: number } {
  const rows: PredictionRow[] = [];
  let badLines = 0;
  for (const line of text.split('\n')) {
    if (!line.trim()) continue;
    try {
      const o = JSON.parse(line) as Record<string, unknown>;
      if (typeof o.predict !== 'string' || typeof o.label !== 'string') {
        badLines++;
        continue;
      }
      rows.push({ prompt: typeof o.prompt === 'string' ? o.prompt : null, label: o.label, predict: o.predict });
    } catch {
      badLines++;
    }
  }
  return { rows, badLines };
}
