/** Recognises LlamaBoard's UI-state files (dotted `top.*`/`train.*`/`eval.*` keys) and converts them to a plain config. */

export function isLlamaBoardState(data: Record<string, unknown>): boolean {
  const keys = Object.keys(data);
  return keys.length > 0 && keys.filter((k) => /^(top|train|eval|infer|export)\.[a-z_]+$/.test(k)).length >= Math.ceil(keys.length / 2);
}

export interface Converted {
  config: Record<string, unknown>;
  dropped: string[];
  notes: string[];
}

// LlamaBoard's display names for stages (webui/common.py TRAINING_STAGES).
const STAGES: Record<string, string> = {
  'Supervised Fine-Tuning': 'sft',
  'Reward Modeling': 'rm',
  PPO: 'ppo',
  DPO: 'dpo',
  KTO: 'kto',
  'Pre-Training': 'pt',
};

// Org of well-known model families, for the hub id LlamaBoard derives from its model name.
const ORGS: [RegExp, string][] = [
  [/^Qwen/i, 'Qwen'],
  [/^(Meta-)?Llama-3/i, 'meta-llama'],
  [/^Llama-2/i, 'meta-llama'],
  [/^gemma/i, 'google'],
  [/^Mistral|^Mixtral/i, 'mistralai'],
  [/^(glm|chatglm)/i, 'THUDM'],
  [/^Yi-/i, '01-ai'],
  [/^DeepSeek/i, 'deepseek-ai'],
  [/^Phi-/i, 'microsoft'],
];

const num = (v: unknown): number | undefined => {
  const n = typeof v === 'number' ? v : typeof v === 'string' && v.trim() !== '' ? Number(v) : NaN;
  return Number.isFinite(n) ? n : undefined;
};
const isNone = (v: unknown) => v === null || v === undefined || v === '' || v === 'none' || v === 'None';
const list = (v: unknown) => (Array.isArray(v) ? v.map(String).join(',') : String(v));

/** Keys copied one to one (after the `tab.` prefix), with number coercion where LlamaBoard stores text. */
const SAME = ['cutoff_len', 'dataset_dir', 'max_new_tokens', 'top_p', 'temperature', 'lr_scheduler_type', 'logging_steps', 'save_steps', 'warmup_steps', 'lora_rank', 'lora_alpha', 'lora_dropout', 'lora_target', 'additional_target', 'gradient_accumulation_steps', 'val_size', 'packing', 'report_to', 'pref_beta', 'pref_loss', 'neftune_alpha', 'use_dora', 'use_rslora', 'pissa_init', 'freeze_trainable_layers', 'freeze_trainable_modules', 'template', 'quantization_method'];
const NUMERIC = new Set(['learning_rate', 'num_train_epochs', 'max_grad_norm', 'max_samples', 'val_size', 'neftune_alpha', 'lora_dropout', 'pref_beta']);

export function convertLlamaBoard(data: Record<string, unknown>): Converted {
  const out: Record<string, unknown> = {};
  const dropped: string[] = [];
  const notes: string[] = [];
  const tab = Object.keys(data).some((k) => k.startsWith('train.')) ? 'train' : Object.keys(data).some((k) => k.startsWith('eval.')) ? 'eval' : 'infer';
  const modelName = String(data['top.model_name'] ?? '');
  const ft = isNone(data['top.finetuning_type']) ? 'lora' : String(data['top.finetuning_type']);
  const saveDir = (name: string) => `saves/${modelName || 'model'}/${ft}/${name}`;

  if (!isNone(data['top.model_path'])) out.model_name_or_path = data['top.model_path'];
  else if (modelName) {
    const org = ORGS.find(([re]) => re.test(modelName))?.[1];
    out.model_name_or_path = org ? `${org}/${modelName}` : modelName;
    notes.push(`model_name_or_path ${String(out.model_name_or_path)} was derived from LlamaBoard's model name "${modelName}"; check it.`);
  }
  if (!isNone(data['top.checkpoint_path'])) {
    const cps = Array.isArray(data['top.checkpoint_path']) ? data['top.checkpoint_path'].map(String) : [String(data['top.checkpoint_path'])];
    out.adapter_name_or_path = cps.map((c) => (c.includes('/') ? c : saveDir(c))).join(',');
  }
  out.finetuning_type = ft;
  if (tab === 'train') {
    out.stage = STAGES[String(data['train.training_stage'])] ?? 'sft';
    out.do_train = true;
  } else if (tab === 'eval') {
    out.stage = 'sft';
    if (data['eval.predict'] === true) {
      out.do_predict = true;
      out.predict_with_generate = true;
    } else out.do_eval = true;
  }

  for (const [k, v] of Object.entries(data)) {
    const m = /^(top|train|eval|infer|export)\.(.+)$/.exec(k);
    if (!m) {
      dropped.push(k);
      continue;
    }
    const [, , name] = m as unknown as [string, string, string];
    switch (name) {
      case 'model_name':
      case 'model_path':
      case 'checkpoint_path':
      case 'finetuning_type':
      case 'training_stage':
      case 'predict':
      case 'lang':
        continue;
      case 'quantization_bit':
        if (!isNone(v)) out.quantization_bit = num(v);
        continue;
      case 'rope_scaling':
        if (!isNone(v)) out.rope_scaling = v;
        continue;
      case 'booster':
        if (v === 'flashattn2') out.flash_attn = 'fa2';
        else if (v === 'unsloth') out.use_unsloth = true;
        else if (v === 'liger_kernel') out.enable_liger_kernel = true;
        else out.flash_attn = 'auto';
        continue;
      case 'dataset':
        out[tab === 'eval' ? 'eval_dataset' : 'dataset'] = list(v);
        continue;
      case 'batch_size':
        out[tab === 'eval' ? 'per_device_eval_batch_size' : 'per_device_train_batch_size'] = num(v);
        continue;
      case 'output_dir':
        out.output_dir = String(v).includes('/') ? v : saveDir(String(v));
        continue;
      case 'compute_type':
        if (v === 'bf16' || v === 'fp16') out[v] = true;
        else if (v === 'pure_bf16') out.pure_bf16 = true;
        continue;
    }
    if (NUMERIC.has(name)) {
      const n = num(v);
      if (n === undefined) dropped.push(k);
      else out[name] = n;
    } else if (SAME.includes(name)) {
      if (!isNone(v)) out[name] = v;
    } else dropped.push(k);
  }
  if (!out.template && data['top.template']) out.template = data['top.template'];
  return { config: out, dropped, notes };
}
