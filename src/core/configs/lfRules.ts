/**
 * The checks LLaMA-Factory itself makes at start-up that can be decided from a config (and the files it names), with its
 * own words and the line of its source they mirror (hiyouga/LLaMA-Factory ff6d4d1). Nothing here is Trainyard's invention:
 * a rule LLaMA-Factory does not have does not belong in this table.
 */
import type { ConfigKind } from '../../shared/types/task.js';
import { truthy } from './configKind.js';

export interface RuleInput {
  d: Record<string, unknown>;
  kind: ConfigKind;
  /** DeepSpeed config of the run is ZeRO stage 3 (is_deepspeed_zero3_enabled()), when readable. */
  zero3: boolean;
  /** The model's config.json says it is already quantized (GPTQ/AWQ/…): quantization_bit is then ignored. */
  ptqModel: boolean | null;
}

export interface LfRule {
  /** Which `llamafactory-cli` path runs the check: train (also predict/eval configs), infer (chat/api/export), export. */
  on: ('train' | 'infer' | 'export')[];
  key: string;
  when(i: RuleInput): boolean;
  /** LLaMA-Factory's exception text, verbatim. */
  says: string;
  /** file:line in LLaMA-Factory ff6d4d1 (or transformers) that raises it. */
  cite: string;
}

const on = (v: unknown) => truthy(v);
/** Python's `is not None`: an empty string is a value to LLaMA-Factory ("".split(",") is [""]). */
const set = (v: unknown) => v !== undefined && v !== null;
const num = (v: unknown, dflt: number) => (typeof v === 'number' ? v : typeof v === 'string' && v.trim() !== '' && Number.isFinite(Number(v)) ? Number(v) : dflt);
const ft = (d: Record<string, unknown>) => (typeof d.finetuning_type === 'string' ? d.finetuning_type : 'lora');
const stage = (d: Record<string, unknown>) => (typeof d.stage === 'string' ? d.stage : 'sft');
const names = (v: unknown) => (Array.isArray(v) ? v.map(String) : typeof v === 'string' ? v.split(',') : []).map((s) => s.trim()).filter(Boolean);
/** transformers sets do_eval when eval_strategy is not "no" (training_args.py:1649-1650 in 4.57.6, :1540 in 5.18). */
const doEval = (d: Record<string, unknown>) => on(d.do_eval) || (set(d.eval_strategy) && d.eval_strategy !== 'no');
/** FinetuningArguments.__post_init__: use_ref_model = stage == "dpo" and pref_loss not in ["orpo", "simpo"]. */
const useRefModel = (d: Record<string, unknown>) => stage(d) === 'dpo' && !['orpo', 'simpo'].includes(String(d.pref_loss ?? 'sigmoid'));

export const LF_RULES: LfRule[] = [
  // get_train_args (hparams/parser.py)
  { on: ['train'], key: 'predict_with_generate', when: (i) => stage(i.d) !== 'sft' && on(i.d.predict_with_generate), says: '`predict_with_generate` cannot be set as True except SFT.', cite: 'src/llamafactory/hparams/parser.py:410-412' },
  { on: ['train'], key: 'neat_packing', when: (i) => stage(i.d) !== 'sft' && on(i.d.neat_packing), says: '`neat_packing` cannot be set as True except SFT.', cite: 'src/llamafactory/hparams/parser.py:414-415' },
  { on: ['train'], key: 'train_on_prompt', when: (i) => stage(i.d) !== 'sft' && (on(i.d.train_on_prompt) || on(i.d.mask_history)), says: '`train_on_prompt` or `mask_history` cannot be set as True except SFT.', cite: 'src/llamafactory/hparams/parser.py:417-418' },
  { on: ['train'], key: 'do_predict', when: (i) => stage(i.d) === 'sft' && on(i.d.do_predict) && !on(i.d.predict_with_generate), says: 'Please enable `predict_with_generate` to save model predictions.', cite: 'src/llamafactory/hparams/parser.py:420-421' },
  { on: ['train'], key: 'load_best_model_at_end', when: (i) => ['rm', 'ppo'].includes(stage(i.d)) && on(i.d.load_best_model_at_end), says: 'RM and PPO stages do not support `load_best_model_at_end`.', cite: 'src/llamafactory/hparams/parser.py:447-448' },
  { on: ['train'], key: 'stage', when: (i) => stage(i.d) === 'ppo' && !on(i.d.do_train), says: 'PPO training does not support evaluation, use the SFT stage to evaluate models.', cite: 'src/llamafactory/hparams/parser.py:450-452' },
  { on: ['train'], key: 'shift_attn', when: (i) => stage(i.d) === 'ppo' && on(i.d.shift_attn), says: 'PPO training is incompatible with S^2-Attn.', cite: 'src/llamafactory/hparams/parser.py:454-455' },
  { on: ['train'], key: 'use_kt', when: (i) => stage(i.d) === 'ppo' && (i.d.reward_model_type ?? 'lora') === 'lora' && on(i.d.use_kt), says: 'KTransformers does not support lora reward model.', cite: 'src/llamafactory/hparams/parser.py:457-458' },
  { on: ['train'], key: 'use_unsloth', when: (i) => stage(i.d) === 'ppo' && (i.d.reward_model_type ?? 'lora') === 'lora' && on(i.d.use_unsloth), says: 'Unsloth does not support lora reward model.', cite: 'src/llamafactory/hparams/parser.py:460-461' },
  {
    on: ['train'],
    key: 'report_to',
    when: (i) => stage(i.d) === 'ppo' && names(i.d.report_to).some((r) => !['wandb', 'tensorboard', 'trackio', 'none'].includes(r)),
    says: 'PPO only accepts wandb, tensorboard, or trackio logger.',
    cite: 'src/llamafactory/hparams/parser.py:463-466',
  },
  { on: ['train'], key: 'streaming', when: (i) => on(i.d.streaming) && num(i.d.max_steps, -1) === -1, says: 'Please specify `max_steps` in streaming mode.', cite: 'src/llamafactory/hparams/parser.py:474-475' },
  { on: ['train'], key: 'dataset', when: (i) => on(i.d.do_train) && !set(i.d.dataset), says: 'Please specify dataset for training.', cite: 'src/llamafactory/hparams/parser.py:477-478' },
  {
    on: ['train'],
    key: 'eval_dataset',
    when: (i) => (doEval(i.d) || on(i.d.do_predict) || on(i.d.predict_with_generate)) && !set(i.d.eval_dataset) && num(i.d.val_size, 0) < 1e-6,
    says: 'Please make sure eval_dataset be provided or val_size >1e-6',
    cite: 'src/llamafactory/hparams/parser.py:480-483',
  },
  { on: ['train'], key: 'predict_with_generate', when: (i) => on(i.d.predict_with_generate) && i.zero3, says: '`predict_with_generate` is incompatible with DeepSpeed ZeRO-3.', cite: 'src/llamafactory/hparams/parser.py:485-487' },
  { on: ['train'], key: 'compute_accuracy', when: (i) => on(i.d.predict_with_generate) && on(i.d.compute_accuracy), says: 'Cannot use `predict_with_generate` and `compute_accuracy` together.', cite: 'src/llamafactory/hparams/parser.py:489-490' },
  { on: ['train'], key: 'quantization_device_map', when: (i) => on(i.d.do_train) && i.d.quantization_device_map === 'auto', says: 'Cannot use device map for quantized models in training.', cite: 'src/llamafactory/hparams/parser.py:492-493' },
  { on: ['train'], key: 'pissa_init', when: (i) => on(i.d.pissa_init) && i.zero3, says: 'Please use scripts/pissa_init.py to initialize PiSSA in DeepSpeed ZeRO-3.', cite: 'src/llamafactory/hparams/parser.py:495-496' },
  { on: ['train'], key: 'pure_bf16', when: (i) => on(i.d.pure_bf16) && i.zero3, says: '`pure_bf16` is incompatible with DeepSpeed ZeRO-3.', cite: 'src/llamafactory/hparams/parser.py:502-503' },
  { on: ['train'], key: 'deepspeed', when: (i) => set(i.d.deepspeed) && (on(i.d.use_galore) || on(i.d.use_apollo)), says: 'GaLore and APOLLO are incompatible with DeepSpeed yet.', cite: 'src/llamafactory/hparams/parser.py:518-519' },
  { on: ['train'], key: 'fp8', when: (i) => on(i.d.fp8) && set(i.d.quantization_bit), says: 'FP8 training is not compatible with quantization. Please disable one of them.', cite: 'src/llamafactory/hparams/parser.py:521-527' },
  { on: ['train'], key: 'infer_backend', when: (i) => set(i.d.infer_backend) && i.d.infer_backend !== 'huggingface', says: 'vLLM/SGLang backend is only available for API, CLI and Web.', cite: 'src/llamafactory/hparams/parser.py:529-530' },
  { on: ['train'], key: 'use_unsloth', when: (i) => on(i.d.use_unsloth) && i.zero3, says: 'Unsloth is incompatible with DeepSpeed ZeRO-3.', cite: 'src/llamafactory/hparams/parser.py:532-533' },
  { on: ['train'], key: 'use_kt', when: (i) => on(i.d.use_kt) && i.zero3, says: 'KTransformers is incompatible with DeepSpeed ZeRO-3.', cite: 'src/llamafactory/hparams/parser.py:535-536' },

  // _verify_model_args, called by every command (hparams/parser.py:227-249)
  { on: ['train', 'infer', 'export'], key: 'adapter_name_or_path', when: (i) => set(i.d.adapter_name_or_path) && ft(i.d) !== 'lora', says: 'Adapter is only valid for the LoRA method.', cite: 'src/llamafactory/hparams/parser.py:232-233' },
  { on: ['train', 'infer', 'export'], key: 'quantization_bit', when: (i) => set(i.d.quantization_bit) && !['lora', 'oft'].includes(ft(i.d)), says: 'Quantization is only compatible with the LoRA or OFT method.', cite: 'src/llamafactory/hparams/parser.py:235-237' },
  { on: ['train', 'infer', 'export'], key: 'pissa_init', when: (i) => set(i.d.quantization_bit) && on(i.d.pissa_init), says: 'Please use scripts/pissa_init.py to initialize PiSSA for a quantized model.', cite: 'src/llamafactory/hparams/parser.py:239-240' },
  { on: ['train', 'infer', 'export'], key: 'resize_vocab', when: (i) => set(i.d.quantization_bit) && on(i.d.resize_vocab), says: 'Cannot resize embedding layers of a quantized model.', cite: 'src/llamafactory/hparams/parser.py:242-243' },
  { on: ['train', 'infer', 'export'], key: 'create_new_adapter', when: (i) => set(i.d.quantization_bit) && set(i.d.adapter_name_or_path) && on(i.d.create_new_adapter), says: 'Cannot create new adapter upon a quantized model.', cite: 'src/llamafactory/hparams/parser.py:245-246' },
  { on: ['train', 'infer', 'export'], key: 'adapter_name_or_path', when: (i) => set(i.d.quantization_bit) && names(i.d.adapter_name_or_path).length > 1, says: 'Quantized model only accepts a single adapter. Merge them first.', cite: 'src/llamafactory/hparams/parser.py:248-249' },

  // get_infer_args (chat, api, export): hparams/parser.py:676-687
  { on: ['infer', 'export'], key: 'stage', when: (i) => i.d.infer_backend === 'vllm' && stage(i.d) !== 'sft', says: 'vLLM engine only supports auto-regressive models.', cite: 'src/llamafactory/hparams/parser.py:676-678' },
  { on: ['infer', 'export'], key: 'quantization_bit', when: (i) => i.d.infer_backend === 'vllm' && set(i.d.quantization_bit), says: 'vLLM engine does not support bnb quantization (GPTQ and AWQ are supported).', cite: 'src/llamafactory/hparams/parser.py:680-681' },
  { on: ['infer', 'export'], key: 'rope_scaling', when: (i) => i.d.infer_backend === 'vllm' && set(i.d.rope_scaling), says: 'vLLM engine does not support RoPE scaling.', cite: 'src/llamafactory/hparams/parser.py:683-684' },
  { on: ['infer', 'export'], key: 'adapter_name_or_path', when: (i) => i.d.infer_backend === 'vllm' && names(i.d.adapter_name_or_path).length > 1, says: 'vLLM only accepts a single adapter. Merge them first.', cite: 'src/llamafactory/hparams/parser.py:686-687' },

  // Dataclass __post_init__ checks, raised while HfArgumentParser builds the arguments (every command that parses them)
  { on: ['train', 'infer', 'export'], key: 'val_size', when: (i) => !set(i.d.dataset) && num(i.d.val_size, 0) > 1e-6, says: 'Cannot specify `val_size` if `dataset` is None.', cite: 'src/llamafactory/hparams/data_args.py:159-160' },
  { on: ['train', 'infer', 'export'], key: 'val_size', when: (i) => set(i.d.eval_dataset) && num(i.d.val_size, 0) > 1e-6, says: 'Cannot specify `val_size` if `eval_dataset` is not None.', cite: 'src/llamafactory/hparams/data_args.py:162-163' },
  { on: ['train', 'infer', 'export'], key: 'interleave_probs', when: (i) => set(i.d.interleave_probs) && (i.d.mix_strategy ?? 'concat') === 'concat', says: '`interleave_probs` is only valid for interleaved mixing.', cite: 'src/llamafactory/hparams/data_args.py:165-167' },
  { on: ['train', 'infer', 'export'], key: 'val_size', when: (i) => on(i.d.streaming) && num(i.d.val_size, 0) > 1e-6 && num(i.d.val_size, 0) < 1, says: 'Streaming mode should have an integer val size.', cite: 'src/llamafactory/hparams/data_args.py:176-177' },
  { on: ['train', 'infer', 'export'], key: 'max_samples', when: (i) => on(i.d.streaming) && set(i.d.max_samples), says: '`max_samples` is incompatible with `streaming`.', cite: 'src/llamafactory/hparams/data_args.py:179-180' },
  { on: ['train', 'infer', 'export'], key: 'mask_history', when: (i) => on(i.d.mask_history) && on(i.d.train_on_prompt), says: '`mask_history` is incompatible with `train_on_prompt`.', cite: 'src/llamafactory/hparams/data_args.py:182-183' },
  { on: ['export'], key: 'export_quantization_bit', when: (i) => set(i.d.export_quantization_bit) && !set(i.d.export_quantization_dataset), says: 'Quantization dataset is necessary for exporting.', cite: 'src/llamafactory/hparams/model_args.py:396-397' },
  { on: ['train', 'infer', 'export'], key: 'stage', when: (i) => stage(i.d) === 'ppo' && !set(i.d.reward_model), says: '`reward_model` is necessary for PPO training.', cite: 'src/llamafactory/hparams/finetuning_args.py:600-601' },
  { on: ['train', 'infer', 'export'], key: 'reward_model_type', when: (i) => stage(i.d) === 'ppo' && (i.d.reward_model_type ?? 'lora') === 'lora' && ft(i.d) !== 'lora', says: '`reward_model_type` cannot be lora for Freeze/Full PPO training.', cite: 'src/llamafactory/hparams/finetuning_args.py:603-604' },
  { on: ['train', 'infer', 'export'], key: 'dpo_label_smoothing', when: (i) => stage(i.d) === 'dpo' && (i.d.pref_loss ?? 'sigmoid') !== 'sigmoid' && num(i.d.dpo_label_smoothing, 0) > 1e-6, says: '`dpo_label_smoothing` is only valid for sigmoid loss function.', cite: 'src/llamafactory/hparams/finetuning_args.py:609-610' },
  { on: ['train', 'infer', 'export'], key: 'use_llama_pro', when: (i) => on(i.d.use_llama_pro) && ft(i.d) === 'full', says: '`use_llama_pro` is only valid for Freeze or LoRA training.', cite: 'src/llamafactory/hparams/finetuning_args.py:612-613' },
  { on: ['train', 'infer', 'export'], key: 'finetuning_type', when: (i) => ft(i.d) === 'lora' && (on(i.d.use_galore) || on(i.d.use_apollo) || on(i.d.use_badam)), says: 'Cannot use LoRA with GaLore, APOLLO or BAdam together.', cite: 'src/llamafactory/hparams/finetuning_args.py:615-616' },
  { on: ['train', 'infer', 'export'], key: 'use_galore', when: (i) => [i.d.use_galore, i.d.use_apollo, i.d.use_badam].filter(on).length > 1, says: 'Cannot use GaLore, APOLLO or BAdam together.', cite: 'src/llamafactory/hparams/finetuning_args.py:618-619' },
  { on: ['train', 'infer', 'export'], key: 'pissa_init', when: (i) => on(i.d.pissa_init) && (['ppo', 'kto'].includes(stage(i.d)) || useRefModel(i.d)), says: 'Cannot use PiSSA for current training stage.', cite: 'src/llamafactory/hparams/finetuning_args.py:621-622' },
  { on: ['train', 'infer', 'export'], key: 'loraplus_lr_ratio', when: (i) => ft(i.d) !== 'lora' && set(i.d.loraplus_lr_ratio), says: '`loraplus_lr_ratio` is only valid for LoRA training.', cite: 'src/llamafactory/hparams/finetuning_args.py:625-626' },
  { on: ['train', 'infer', 'export'], key: 'use_rslora', when: (i) => ft(i.d) !== 'lora' && on(i.d.use_rslora), says: '`use_rslora` is only valid for LoRA training.', cite: 'src/llamafactory/hparams/finetuning_args.py:628-629' },
  { on: ['train', 'infer', 'export'], key: 'use_dora', when: (i) => ft(i.d) !== 'lora' && on(i.d.use_dora), says: '`use_dora` is only valid for LoRA training.', cite: 'src/llamafactory/hparams/finetuning_args.py:631-632' },
  { on: ['train', 'infer', 'export'], key: 'pissa_init', when: (i) => ft(i.d) !== 'lora' && on(i.d.pissa_init), says: '`pissa_init` is only valid for LoRA training.', cite: 'src/llamafactory/hparams/finetuning_args.py:634-635' },
  // transformers TrainingArguments.__post_init__ (training_args.py:1749-1750 in 4.57.6, 1752-1753 in 5.18)
  { on: ['train'], key: 'fp16', when: (i) => on(i.d.fp16) && on(i.d.bf16), says: 'At most one of fp16 and bf16 can be True, but not both', cite: 'transformers/training_args.py:1749-1750 (4.57.6)' },
  // Loading an on-the-fly quantized model (model/model_utils/quantization.py:177-227); a PTQ model ignores quantization_bit.
  {
    on: ['train', 'infer', 'export'],
    key: 'quantization_bit',
    when: (i) => i.ptqModel === false && set(i.d.quantization_bit) && (i.d.quantization_method ?? 'bnb') === 'bnb' && ![4, 8].includes(num(i.d.quantization_bit, 0)),
    says: 'Bitsandbytes only accepts 4-bit or 8-bit quantization.',
    cite: 'src/llamafactory/model/model_utils/quantization.py:191-192',
  },
  {
    on: ['train', 'infer', 'export'],
    key: 'quantization_bit',
    when: (i) => i.ptqModel === false && set(i.d.quantization_bit) && i.d.quantization_method === 'hqq' && ![1, 2, 3, 4, 5, 6, 8].includes(num(i.d.quantization_bit, 0)),
    says: 'HQQ only accepts 1/2/3/4/5/6/8-bit quantization.',
    cite: 'src/llamafactory/model/model_utils/quantization.py:207-208',
  },
  {
    on: ['train', 'infer', 'export'],
    key: 'quantization_bit',
    when: (i) => i.ptqModel === false && set(i.d.quantization_bit) && i.d.quantization_method === 'eetq' && num(i.d.quantization_bit, 0) !== 8,
    says: 'EETQ only accepts 8-bit quantization.',
    cite: 'src/llamafactory/model/model_utils/quantization.py:219-220',
  },
];

const PATH: Record<ConfigKind, 'train' | 'infer' | 'export' | null> = { train: 'train', eval: 'train', infer: 'infer', export: 'export', unknown: null };

/** The rules that fire for this config, as (rule) pairs; the caller turns them into issues with line numbers. */
export function brokenRules(input: RuleInput): LfRule[] {
  const path = PATH[input.kind];
  if (!path) return [];
  return LF_RULES.filter((r) => r.on.includes(path) && r.when(input));
}
