/** Tells what a config asks LLaMA-Factory to do (train, eval/predict, inference, export), from its keys. */
import type { ConfigKind } from '../../shared/types/task.js';

/** YAML 1/0 and true/false both count: HF's dataclass parser keeps the int and Python treats it as truthy. */
export function truthy(v: unknown): boolean {
  if (typeof v === 'string') return /^(true|yes|on|1)$/i.test(v.trim());
  return v === true || (typeof v === 'number' && v !== 0);
}

export function configKind(data: Record<string, unknown>): ConfigKind {
  if (truthy(data.do_train)) return 'train';
  if (data.export_dir != null && data.export_dir !== '') return 'export';
  if (truthy(data.do_eval) || truthy(data.do_predict)) return 'eval';
  // A stage without do_* is a training config that forgot do_train (the validator says so).
  if ('stage' in data && !('do_train' in data)) return 'train';
  if ('infer_backend' in data || 'adapter_name_or_path' in data || 'model_name_or_path' in data) return 'infer';
  return 'unknown';
}

/** Keys each kind cannot do without (beyond model_name_or_path, which every kind needs). */
export function requiredKeys(kind: ConfigKind, requiredForTrain: string[]): string[] {
  switch (kind) {
    case 'train':
      return requiredForTrain;
    case 'eval':
      return ['model_name_or_path', 'output_dir'];
    case 'export':
      return ['model_name_or_path', 'export_dir'];
    default:
      return ['model_name_or_path'];
  }
}
