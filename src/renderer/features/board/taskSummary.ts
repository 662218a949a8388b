/** What a task card shows of its config: model, method and the few hyperparameters people compare (read from its YAML). */
import { parse } from 'yaml';

export interface TaskSummary {
  model: string | null;
  stage: string | null;
  finetuningType: string | null;
  dataset: string | null;
  /** Ordered [key, value] pairs of the hyperparameters worth seeing on a card. */
  params: [string, string][];
  /** Every top-level scalar key, for the inline editor's key list. */
  values: Record<string, unknown>;
}

const KEY_PARAMS = [
  'learning_rate',
  'lora_rank',
  'num_train_epochs',
  'max_steps',
  'per_device_train_batch_size',
  'gradient_accumulation_steps',
  'cutoff_len',
  'quantization_bit',
  'deepspeed',
];

const short = (v: unknown): string => {
  if (typeof v === 'number') return Math.abs(v) > 0 && Math.abs(v) < 1e-2 ? v.toExponential() : String(v);
  return typeof v === 'string' ? v : JSON.stringify(v);
};

/** Reads the config; a YAML that does not parse yields an empty summary (its issues already say why). */
export function summarize(yaml: string): TaskSummary {
  let data: unknown;
  try {
    data = parse(yaml);
  } catch {
    data = null;
  }
  const d = data && typeof data === 'object' && !Array.isArray(data) ? (data as Record<string, unknown>) : {};
  const str = (k: string) => (typeof d[k] === 'string' || typeof d[k] === 'number' ? String(d[k]) : null);
  const values: Record<string, unknown> = {};
  for (const [k, v] of Object.entries(d)) if (v === null || typeof v !== 'object') values[k] = v;
  return {
    model: str('model_name_or_path'),
    stage: str('stage'),
    finetuningType: str('finetuning_type'),
    dataset: str('dataset'),
    params: KEY_PARAMS.filter((k) => d[k] !== undefined && d[k] !== null).map((k) => [k, short(d[k])]),
    values,
  };
}

/** The last path segment of a model path or hub id ("Qwen/Qwen2.5-7B-Instruct" → "Qwen2.5-7B-Instruct"). */
export const modelLabel = (model: string): string => model.replace(/[\\/]+$/, '').split(/[\\/]/).pop() || model;
