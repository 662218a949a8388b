/** Tells what a config asks LLaMA-Factory to do (train, eval/predict, inference, export), from its keys. */
import { truthy } from '../../shared/domain/configValues.js';
import type { ConfigKind } from '../../shared/types/task.js';

export { truthy };

export function configKind(data: Record<string, unknown>): ConfigKind {
  if (truthy(data.do_train)) return 'train';
  if (data.export_dir != null && data.export_dir !== '') return 'export';
  if (truthy(data.do_eval) || truthy(data.do_predict)) return 'eval';
  // A stage without do_* is a training config that forgot do_train (the validator says so).
  // So is one with training-only keys (TrainingArguments): llamafactory-cli api would refuse them, train would take them.
  if (!('do_train' in data) && ['stage', 'output_dir', 'learning_rate', 'num_train_epochs'].some((k) => k in data)) return 'train';
  if ('infer_backend' in data || 'adapter_name_or_path' in data || 'model_name_or_path' in data) return 'infer';
  return 'unknown';
}

/**
 * A special-token description file (`"<|token|>": "what it means"`), which a training config names in
 * new_special_tokens_config (LLaMA-Factory model_args.py:83-92; examples/extras/multi_tokens/tokens_cfg.yaml): not a config.
 */
export function isTokenDescriptions(data: Record<string, unknown>): boolean {
  const entries = Object.entries(data);
  return entries.length > 0 && entries.every(([k, v]) => typeof v === 'string' && /^<.+>$/.test(k.trim()));
}
