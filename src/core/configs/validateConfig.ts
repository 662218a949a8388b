/** The validator: one pure function from a config's text to the issues a person should read before it runs. */
import type { ConfigKind, ValidationIssue } from '../../shared/types/task.js';
import type { KeyCatalogue } from './catalogue.js';
import { checkAdapters, checkDatasets, checkDeepspeed, checkModel } from './checkFiles.js';
import { checkKeys } from './checkKeys.js';
import type { ConfigFs } from './configFs.js';
import { configKind, requiredKeys, truthy } from './configKind.js';
import { isLlamaBoardState } from './llamaboard.js';
import { parseConfig, type ParsedConfig } from './parseConfig.js';

export interface ValidateOptions {
  fileName?: string;
  /** The folder the trainer will run in: relative paths resolve here. */
  workDir: string;
  catalogue: KeyCatalogue;
  fs: ConfigFs;
}

export interface ValidationResult {
  issues: ValidationIssue[];
  kind: ConfigKind;
  ok: boolean;
  parsed: ParsedConfig;
}

const norm = (p: unknown) => (typeof p === 'string' ? p.trim().replace(/[\\/]+$/, '') : '');

/** Rules that span several keys: each is a way LLaMA-Factory stops at start-up, or silently does something else. */
function checkRules(parsed: ParsedConfig, kind: ConfigKind): ValidationIssue[] {
  const d = parsed.data;
  const line = (k: string) => {
    const l = parsed.keyLines.get(k);
    return l ? { key: k, line: l } : { key: k };
  };
  const out: ValidationIssue[] = [];
  if (truthy(d.bf16) && truthy(d.fp16)) out.push({ severity: 'error', message: 'bf16 and fp16 are both on; choose one.', ...line('fp16') });
  const ft = typeof d.finetuning_type === 'string' ? d.finetuning_type : 'lora';
  if (d.quantization_bit != null && (ft === 'full' || ft === 'freeze') && kind === 'train') {
    out.push({ severity: 'error', message: `quantization_bit only works with LoRA/OFT; finetuning_type is ${ft}.`, ...line('quantization_bit') });
  }
  if (d.quantization_bit != null && typeof d.quantization_bit === 'number' && ![2, 3, 4, 5, 6, 8].includes(d.quantization_bit)) {
    out.push({ severity: 'warning', message: `quantization_bit ${d.quantization_bit} is unusual; bitsandbytes supports 4 and 8.`, ...line('quantization_bit') });
  }
  const evalStrategy = d.eval_strategy ?? d.evaluation_strategy;
  const wantsEval = truthy(d.do_eval) || truthy(d.do_predict) || (evalStrategy != null && evalStrategy !== 'no');
  const valSize = typeof d.val_size === 'number' ? d.val_size : 0;
  if (wantsEval && !d.eval_dataset && valSize <= 1e-6) {
    const k = 'eval_strategy' in d ? 'eval_strategy' : 'evaluation_strategy' in d ? 'evaluation_strategy' : truthy(d.do_eval) ? 'do_eval' : 'do_predict';
    out.push({ severity: 'error', message: 'Evaluation needs eval_dataset or val_size > 0; LLaMA-Factory stops with a ValueError otherwise.', ...line(k) });
  }
  if (kind === 'train' && truthy(d.predict_with_generate)) {
    out.push({ severity: 'error', message: 'predict_with_generate cannot be on while training; use it in a do_predict config.', ...line('predict_with_generate') });
  }
  if (kind === 'train' && 'do_train' in d && !truthy(d.do_train)) {
    out.push({ severity: 'error', message: 'do_train is false: this config would load the model and exit without training.', ...line('do_train') });
  }
  if (kind === 'eval' && d.adapter_name_or_path && norm(d.output_dir) && norm(d.adapter_name_or_path).split(',').map(norm).includes(norm(d.output_dir))) {
    out.push({
      severity: 'warning',
      message: `output_dir is the adapter's folder (${norm(d.output_dir)}): evaluation results${truthy(d.overwrite_output_dir) ? ', with overwrite_output_dir on,' : ''} land in the training run's folder. Use a separate output_dir.`,
      ...line('output_dir'),
    });
  }
  if (ft === 'full' && ('lora_rank' in d || 'lora_target' in d) && kind === 'train') {
    out.push({ severity: 'info', message: 'LoRA keys are ignored with finetuning_type: full.', ...line('lora_rank' in d ? 'lora_rank' : 'lora_target') });
  }
  return out;
}

export function validateParsed(parsed: ParsedConfig, opts: ValidateOptions): ValidationResult {
  const issues = [...parsed.issues];
  let kind: ConfigKind = 'unknown';
  if (parsed.doc && issues.length === 0) {
    if (isLlamaBoardState(parsed.data)) {
      issues.push({
        severity: 'error',
        message:
          'This is a LlamaBoard UI-state file (llamaboard_config.yaml: top.*/train.*/eval.* keys), not a config llamafactory-cli can run. Import it into Trainyard to convert it, or use training_args.yaml from the same folder.',
        line: 1,
      });
    } else {
      kind = configKind(parsed.data);
      issues.push(...checkKeys(parsed, opts.catalogue));
      for (const k of requiredKeys(kind, opts.catalogue.requiredForTrain)) {
        if (parsed.data[k] === undefined || parsed.data[k] === null || parsed.data[k] === '') {
          issues.push({ severity: 'error', message: `Missing required key ${k}${kind === 'unknown' ? '' : ` for a ${kind} config`}.`, key: k });
        }
      }
      if (kind === 'eval' && !parsed.data.dataset && !parsed.data.eval_dataset) {
        issues.push({ severity: 'error', message: 'An eval/predict config needs eval_dataset (or dataset).', key: 'eval_dataset' });
      }
      issues.push(...checkRules(parsed, kind));
      issues.push(...checkModel(parsed, opts.workDir, opts.fs));
      issues.push(...checkAdapters(parsed, opts.workDir, opts.fs));
      issues.push(...checkDatasets(parsed, opts.workDir, opts.fs));
      issues.push(...checkDeepspeed(parsed, opts.workDir, opts.fs));
    }
  }
  const order = { error: 0, warning: 1, info: 2 } as const;
  issues.sort((a, b) => order[a.severity] - order[b.severity] || (a.line ?? 1e9) - (b.line ?? 1e9));
  return { issues, kind, ok: !issues.some((i) => i.severity === 'error'), parsed };
}

/** Validates a config's text against LLaMA-Factory's keys and the files it names. */
export function validateConfig(text: string, opts: ValidateOptions): ValidationIssue[] {
  return validateParsed(parseConfig(text, opts.fileName), opts).issues;
}
