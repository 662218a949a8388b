/**
 * LlamaBoard's saved forms (llamaboard_config.yaml: dotted top.*, train.*, eval.* keys) turned into the arguments LlamaBoard
 * itself would launch with: webui/runner.py `_parse_train_args` / `_parse_eval_args` (LLaMA-Factory ff6d4d1), then
 * common.py `_clean_cmd` as `save_cmd` writes training_args.yaml. Its tables (models, stages, form defaults) are
 * generated from LLaMA-Factory's source into resources/llamafactory/llamaboard.json.
 */
import { readFileSync } from 'node:fs';
import { join } from 'node:path';

export function isLlamaBoardState(data: Record<string, unknown>): boolean {
  const keys = Object.keys(data);
  return keys.length > 0 && keys.filter((k) => /^(top|train|eval|infer|export)\.[a-z_]+$/.test(k)).length >= Math.ceil(keys.length / 2);
}

export interface LlamaBoardTables {
  models: Record<string, { hf?: string; ms?: string; om?: string; multimodal?: boolean }>;
  /** [label, stage] in LlamaBoard's order (extras/constants.py TRAINING_STAGES). */
  trainingStages: [string, string][];
  /** Each form element's initial value (webui/components/*.py). */
  defaults: Record<string, unknown>;
  peftMethods: string[];
  saveDir: string;
  cacheDir: string;
  userConfig: string;
}

const tablesCache = new Map<string, LlamaBoardTables>();
export function llamaBoardTables(resourcesDir: string): LlamaBoardTables {
  const file = join(resourcesDir, 'llamafactory', 'llamaboard.json');
  let t = tablesCache.get(file);
  if (!t) tablesCache.set(file, (t = JSON.parse(readFileSync(file, 'utf8')) as LlamaBoardTables));
  return t;
}

/** The DeepSpeed configs Trainyard ships (LLaMA-Factory's examples/deepspeed), by LlamaBoard's ds_stage and ds_offload. */
export function deepspeedFile(resourcesDir: string, stage: string, offload: boolean): string {
  return join(resourcesDir, 'llamafactory', 'deepspeed', `ds_z${stage}_${offload ? 'offload_' : ''}config.json`);
}

export interface ConvertContext {
  tables: LlamaBoardTables;
  /** LlamaBoard's llamaboard_cache/user_config.yaml in the LLaMA-Factory folder (path_dict, cache_dir), when readable. */
  userConfig: { path_dict?: Record<string, string>; cache_dir?: string | null } | null;
  /** The run folder the form was saved in (saves/<model>/<method>/<name>/llamaboard_config.yaml), relative to the LLaMA-Factory folder. */
  savedIn: string | null;
  deepspeed: (stage: string, offload: boolean) => string;
  /** USE_MODELSCOPE_HUB / USE_OPENMIND_HUB, which LlamaBoard sets from its hub choice (control.py switch_hub). */
  hub: 'huggingface' | 'modelscope' | 'openmind';
  /** For `train_<YYYY-mm-dd-HH-MM-SS>` when the form names no output folder (common.py get_time). */
  now: Date;
}

export interface Converted {
  config: Record<string, unknown>;
  /** Form elements LlamaBoard's runner does not read either (so nothing is lost by not converting them). */
  unused: string[];
  notes: string[];
}

/** common.py get_save_dir: saves/<parts without spaces>, or the last part as is when it is a path. */
function saveDir(t: LlamaBoardTables, ...parts: string[]): string {
  const last = parts.at(-1) ?? '';
  if (last.includes('/')) return last;
  return [t.saveDir, ...parts.map((p) => p.replace(/ /g, '').trim())].join('/');
}

/** common.py calculate_pixels: "768*768" → 589824. */
const pixels = (v: unknown) => {
  const s = String(v);
  return s.includes('*') ? Number(s.split('*')[0]) * Number(s.split('*')[1]) : Math.trunc(Number(s));
};
/** runner.py _parse_seed. */
const seed = (v: unknown) => (Number.isInteger(Number(v)) && String(v).trim() !== '' ? Number(v) : 42);
const asList = (v: unknown): string[] => (Array.isArray(v) ? v.map(String) : v === null || v === undefined || v === '' ? [] : [String(v)]);
/** Python truthiness of a form value (`get("x") or None`). */
const truthy = (v: unknown) => !(v === null || v === undefined || v === false || v === 0 || v === '' || (Array.isArray(v) && v.length === 0));

/** common.py _clean_cmd: what save_cmd writes to training_args.yaml. */
const KEEP_FALSY = new Set(['packing', 'enable_thinking', 'use_reentrant_gc', 'double_quantization', 'freeze_vision_tower', 'freeze_multi_modal_projector']);
function cleanCmd(args: Record<string, unknown>): Record<string, unknown> {
  return Object.fromEntries(Object.entries(args).filter(([k, v]) => KEEP_FALSY.has(k) || (v !== null && v !== undefined && v !== false && v !== '')));
}

/** The elements runner.py reads (besides the ones every tab shares), so the rest can be named as unused. */
const READ = new Set([
  'top.model_name', 'top.model_path', 'top.finetuning_type', 'top.checkpoint_path', 'top.quantization_bit', 'top.quantization_method',
  'top.template', 'top.rope_scaling', 'top.booster', 'top.lang', 'top.hub_name',
]);

export function convertLlamaBoard(data: Record<string, unknown>, ctx: ConvertContext): Converted {
  const t = ctx.tables;
  const tab = Object.keys(data).some((k) => k.startsWith('train.')) ? 'train' : 'eval';
  const read = new Set(READ);
  const notes: string[] = [];
  // An element missing from an older saved form has its initial value, as the page would show it.
  const get = (id: string): unknown => {
    read.add(id);
    return id in data ? data[id] : t.defaults[id];
  };
  const modelName = String(get('top.model_name') ?? '');
  const ft = String(get('top.finetuning_type') ?? 'lora');

  // runner.py reads top.model_path; saved forms leave it out (_build_config_dict skip_ids), and LlamaBoard refills it
  // from the model name: common.py get_model_path (user_config.yaml path_dict, else the model table, per hub).
  let modelPath = String(get('top.model_path') ?? '');
  if (!modelPath) {
    const entry = t.models[modelName] ?? {};
    modelPath = ctx.userConfig?.path_dict?.[modelName] ?? entry.hf ?? '';
    if (ctx.hub === 'modelscope' && entry.ms && modelPath === entry.hf) modelPath = entry.ms;
    if (ctx.hub === 'openmind' && entry.om && modelPath === entry.hf) modelPath = entry.om;
    if (modelPath) notes.push(`model_name_or_path ${modelPath} is LlamaBoard's path for "${modelName}" (the saved form does not keep it).`);
    else notes.push(`LlamaBoard knows no path for the model "${modelName}": set model_name_or_path.`);
  }
  const booster = get('top.booster');
  const rope = get('top.rope_scaling');
  const common = {
    model_name_or_path: modelPath || null,
    cache_dir: ctx.userConfig?.cache_dir ?? null,
    preprocessing_num_workers: 16,
    finetuning_type: ft,
    template: get('top.template'),
    rope_scaling: rope !== 'none' ? rope : null,
    flash_attn: booster === 'flashattn2' ? 'fa2' : 'auto',
    use_unsloth: booster === 'unsloth',
  };
  // runner.py: output_dir = get_save_dir(model, method, <form's output folder>). A form saved in a run folder lacks
  // train.output_dir (skip_ids): that folder is where it ran. A form without one gets LlamaBoard's default name.
  const outputDir = (id: string, prefix: string): string => {
    const v = get(id);
    if (truthy(v)) return saveDir(t, modelName, ft, String(v));
    if (ctx.savedIn) return ctx.savedIn;
    const p2 = (n: number) => String(n).padStart(2, '0');
    const d = ctx.now;
    return saveDir(t, modelName, ft, `${prefix}_${d.getFullYear()}-${p2(d.getMonth() + 1)}-${p2(d.getDate())}-${p2(d.getHours())}-${p2(d.getMinutes())}-${p2(d.getSeconds())}`);
  };

  let args: Record<string, unknown>;
  if (tab === 'train') {
    const stageLabel = String(get('train.training_stage') ?? t.trainingStages[0]![0]);
    const stage = t.trainingStages.find(([label]) => label === stageLabel)?.[1];
    if (!stage) notes.push(`LlamaBoard has no training stage "${stageLabel}".`);
    const compute = get('train.compute_type');
    args = {
      stage: stage ?? stageLabel,
      do_train: true,
      ...common,
      enable_liger_kernel: booster === 'liger_kernel',
      dataset_dir: get('train.dataset_dir'),
      dataset: asList(get('train.dataset')).join(','),
      cutoff_len: get('train.cutoff_len'),
      learning_rate: Number(get('train.learning_rate')),
      num_train_epochs: Number(get('train.num_train_epochs')),
      max_samples: Math.trunc(Number(get('train.max_samples'))),
      seed: seed(get('train.train_seed')),
      per_device_train_batch_size: get('train.batch_size'),
      gradient_accumulation_steps: get('train.gradient_accumulation_steps'),
      lr_scheduler_type: get('train.lr_scheduler_type'),
      max_grad_norm: Number(get('train.max_grad_norm')),
      logging_steps: get('train.logging_steps'),
      save_steps: get('train.save_steps'),
      warmup_steps: get('train.warmup_steps'),
      neftune_noise_alpha: truthy(get('train.neftune_alpha')) ? get('train.neftune_alpha') : null,
      packing: truthy(get('train.packing')) ? get('train.packing') : get('train.neat_packing'),
      neat_packing: get('train.neat_packing'),
      train_on_prompt: get('train.train_on_prompt'),
      mask_history: get('train.mask_history'),
      resize_vocab: get('train.resize_vocab'),
      use_llama_pro: get('train.use_llama_pro'),
      enable_thinking: get('train.enable_thinking'),
      report_to: get('train.report_to'),
      use_galore: get('train.use_galore'),
      use_apollo: get('train.use_apollo'),
      use_badam: get('train.use_badam'),
      use_swanlab: get('train.use_swanlab'),
      output_dir: outputDir('train.output_dir', 'train'),
      fp16: compute === 'fp16',
      bf16: compute === 'bf16',
      pure_bf16: compute === 'pure_bf16',
      plot_loss: true,
      trust_remote_code: true,
      ddp_timeout: 180000000,
      include_num_input_tokens_seen: true,
    };
    // extra_args (JSON) is merged over the base right away, so the sections below override it (runner.py:187).
    try {
      const extra = JSON.parse(String(get('train.extra_args') ?? '{}')) as unknown;
      if (extra && typeof extra === 'object' && !Array.isArray(extra)) Object.assign(args, extra);
      else notes.push('extra_args is not a JSON object; LlamaBoard refuses to start with it.');
    } catch {
      notes.push(`extra_args is not valid JSON (${String(get('train.extra_args'))}); LlamaBoard refuses to start with it (err_json_schema).`);
    }
    applyCheckpoints(args, get, t, modelName, ft);
    applyQuantization(args, get);
    if (args.finetuning_type === 'freeze') {
      args.freeze_trainable_layers = get('train.freeze_trainable_layers');
      args.freeze_trainable_modules = get('train.freeze_trainable_modules');
      args.freeze_extra_modules = truthy(get('train.freeze_extra_modules')) ? get('train.freeze_extra_modules') : null;
    }
    if (args.finetuning_type === 'lora') {
      args.lora_rank = get('train.lora_rank');
      args.lora_alpha = get('train.lora_alpha');
      args.lora_dropout = get('train.lora_dropout');
      args.loraplus_lr_ratio = truthy(get('train.loraplus_lr_ratio')) ? get('train.loraplus_lr_ratio') : null;
      args.create_new_adapter = get('train.create_new_adapter');
      args.use_rslora = get('train.use_rslora');
      args.use_dora = get('train.use_dora');
      args.pissa_init = get('train.use_pissa');
      args.pissa_convert = get('train.use_pissa');
      args.lora_target = truthy(get('train.lora_target')) ? get('train.lora_target') : 'all';
      args.additional_target = truthy(get('train.additional_target')) ? get('train.additional_target') : null;
      if (truthy(args.use_llama_pro)) args.freeze_trainable_layers = get('train.freeze_trainable_layers');
    }
    if (args.stage === 'ppo') {
      const rm = get('train.reward_model');
      args.reward_model = t.peftMethods.includes(ft) ? asList(rm).map((a) => saveDir(t, modelName, ft, a)).join(',') : saveDir(t, modelName, ft, String(rm ?? ''));
      args.reward_model_type = ft === 'lora' ? 'lora' : 'full';
      args.ppo_score_norm = get('train.ppo_score_norm');
      args.ppo_whiten_rewards = get('train.ppo_whiten_rewards');
      args.top_k = 0;
      args.top_p = 0.9;
    } else if (args.stage === 'dpo' || args.stage === 'kto') {
      args.pref_beta = get('train.pref_beta');
      args.pref_ftx = get('train.pref_ftx');
      args.pref_loss = get('train.pref_loss');
    }
    if (t.models[modelName]?.multimodal) {
      args.freeze_vision_tower = get('train.freeze_vision_tower');
      args.freeze_multi_modal_projector = get('train.freeze_multi_modal_projector');
      args.freeze_language_model = get('train.freeze_language_model');
      for (const k of ['image_max_pixels', 'image_min_pixels', 'video_max_pixels', 'video_min_pixels']) args[k] = pixels(get(`train.${k}`));
    }
    for (const [flag, prefix] of [['use_galore', 'galore'], ['use_apollo', 'apollo']] as const) {
      if (truthy(args[flag])) for (const k of ['rank', 'update_interval', 'scale', 'target']) args[`${prefix}_${k}`] = get(`train.${prefix}_${k}`);
    }
    if (truthy(args.use_badam)) for (const k of ['mode', 'switch_mode', 'switch_interval', 'update_ratio']) args[`badam_${k}`] = get(`train.badam_${k}`);
    if (truthy(get('train.use_swanlab'))) for (const k of ['project', 'run_name', 'workspace', 'api_key', 'mode']) args[`swanlab_${k}`] = get(`train.swanlab_${k}`);
    const valSize = Number(get('train.val_size') ?? 0);
    if (valSize > 1e-6 && args.stage !== 'ppo') {
      args.val_size = valSize;
      args.eval_strategy = 'steps';
      args.eval_steps = args.save_steps;
      args.per_device_eval_batch_size = args.per_device_train_batch_size;
    }
    const ds = String(get('train.ds_stage') ?? 'none');
    // LlamaBoard points at the llamaboard_cache/ copies it writes (create_ds_config); Trainyard ships the same files.
    if (ds !== 'none') args.deepspeed = ctx.deepspeed(ds, truthy(get('train.ds_offload')));
  } else {
    args = {
      stage: 'sft',
      ...common,
      quantization_method: get('top.quantization_method'),
      dataset_dir: get('eval.dataset_dir'),
      eval_dataset: asList(get('eval.dataset')).join(','),
      cutoff_len: get('eval.cutoff_len'),
      max_samples: Math.trunc(Number(get('eval.max_samples'))),
      per_device_eval_batch_size: get('eval.batch_size'),
      predict_with_generate: true,
      report_to: 'none',
      max_new_tokens: get('eval.max_new_tokens'),
      top_p: get('eval.top_p'),
      temperature: get('eval.temperature'),
      seed: seed(get('eval.eval_seed')),
      output_dir: outputDir('eval.output_dir', 'eval'),
      trust_remote_code: true,
      ddp_timeout: 180000000,
    };
    if (truthy(get('eval.predict'))) args.do_predict = true;
    else args.do_eval = true;
    applyCheckpoints(args, get, t, modelName, ft);
    applyQuantization(args, get);
  }
  // Set by the person (not the form's initial value) yet not passed on by the runner either: worth saying, nothing is lost.
  const unused = Object.keys(data).filter(
    (k) => !read.has(k) && k.startsWith(`${tab}.`) && JSON.stringify(data[k]) !== JSON.stringify(t.defaults[k]) && !/\.(output_box|device_count|config_path)$/.test(k),
  );
  return { config: cleanCmd(args), unused, notes };
}

/** runner.py "checkpoints": an empty choice adds nothing; LoRA/OFT load adapters, other methods load the saved model. */
function applyCheckpoints(args: Record<string, unknown>, get: (id: string) => unknown, t: LlamaBoardTables, model: string, ft: string): void {
  const cp = get('top.checkpoint_path');
  if (!truthy(cp)) return;
  if (t.peftMethods.includes(ft)) args.adapter_name_or_path = asList(cp).map((a) => saveDir(t, model, ft, a)).join(',');
  else args.model_name_or_path = saveDir(t, model, ft, Array.isArray(cp) ? String(cp[0]) : String(cp));
}

/** runner.py "quantization": bnb's double quantization is on except on Ascend NPUs (not_npu assumed: NVIDIA machines). */
function applyQuantization(args: Record<string, unknown>, get: (id: string) => unknown): void {
  const bit = get('top.quantization_bit');
  if (bit === 'none' || bit === null || bit === undefined) return;
  args.quantization_bit = Math.trunc(Number(bit));
  args.quantization_method = get('top.quantization_method');
  args.double_quantization = true;
}
