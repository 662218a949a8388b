/**
 * LlamaBoard saved forms convert exactly as LlamaBoard's own runner builds its arguments (checked against
 * webui/runner.py itself in the real LLaMA-Factory venv), and each Train-tab option converts to a config that validates.
 */
import { spawnSync } from 'node:child_process';
import { mkdirSync, mkdtempSync, readFileSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { basename, join } from 'node:path';
import { describe, expect, it } from 'vitest';
import { parse } from 'yaml';
import { convertLlamaBoard, deepspeedFile, isLlamaBoardState, llamaBoardTables, type ConvertContext } from '../../../src/core/configs/llamaboard.js';
import { validateConfig } from '../../../src/core/configs/validateConfig.js';
import { resourcesDir } from '../../helpers/fixtures.js';
import { catalogue, isolatedFs, readConfig } from './helpers.js';
import { lfVenv } from './lfSources.js';

const tables = llamaBoardTables(resourcesDir);
const ctx = (over: Partial<ConvertContext> = {}): ConvertContext => ({
  tables,
  userConfig: null,
  savedIn: null,
  deepspeed: (stage, offload) => deepspeedFile(resourcesDir, stage, offload),
  hub: 'huggingface',
  now: new Date(2026, 0, 2, 3, 4, 5),
  ...over,
});

/** A Train-tab form as LlamaBoard holds it when the person only picked a model and datasets. */
const base: Record<string, unknown> = {
  ...Object.fromEntries(Object.entries(tables.defaults).filter(([k]) => k.startsWith('top.') || k.startsWith('train.'))),
  'top.lang': 'en',
  'top.model_name': 'Qwen2.5-0.5B-Instruct',
  'top.model_path': 'Qwen/Qwen2.5-0.5B-Instruct',
  'top.template': 'qwen',
  'train.training_stage': 'Supervised Fine-Tuning',
  'train.dataset': ['identity', 'alpaca_en_demo'],
  'train.output_dir': 'train_2026-01-02-03-04-05',
};

/** One Train-tab option each (with what it needs to make sense, as a person would set it). */
const OPTIONS: [string, Record<string, unknown>][] = [
  ['stage: Pre-Training', { 'train.training_stage': 'Pre-Training', 'train.dataset': ['c4_demo'] }],
  ['stage: Reward Modeling', { 'train.training_stage': 'Reward Modeling', 'train.dataset': ['dpo_en_demo'] }],
  ['stage: PPO', { 'train.training_stage': 'PPO', 'train.reward_model': ['rm_2026'], 'train.ppo_score_norm': true, 'train.ppo_whiten_rewards': true }],
  ['stage: DPO', { 'train.training_stage': 'DPO', 'train.dataset': ['dpo_en_demo'], 'train.pref_beta': 0.2, 'train.pref_ftx': 0.5, 'train.pref_loss': 'simpo' }],
  ['stage: KTO', { 'train.training_stage': 'KTO', 'train.dataset': ['kto_en_demo'] }],
  ['dataset_dir', { 'train.dataset_dir': 'data' }],
  ['learning_rate / epochs / max_grad_norm / max_samples (text fields)', { 'train.learning_rate': '1e-4', 'train.num_train_epochs': '2', 'train.max_grad_norm': '0.5', 'train.max_samples': '500' }],
  ['train_seed (not a number: 42)', { 'train.train_seed': 'abc' }],
  ['compute_type: fp16', { 'train.compute_type': 'fp16' }],
  ['compute_type: fp32', { 'train.compute_type': 'fp32' }],
  ['compute_type: pure_bf16', { 'train.compute_type': 'pure_bf16' }],
  ['cutoff_len / batch_size / gradient_accumulation_steps', { 'train.cutoff_len': 4096, 'train.batch_size': 4, 'train.gradient_accumulation_steps': 2 }],
  ['val_size', { 'train.val_size': 0.1 }],
  ['lr_scheduler_type', { 'train.lr_scheduler_type': 'linear' }],
  ['logging_steps / save_steps / warmup_steps', { 'train.logging_steps': 10, 'train.save_steps': 200, 'train.warmup_steps': 20 }],
  ['neftune_alpha', { 'train.neftune_alpha': 5 }],
  ['extra_args (merged, then overridden by the form)', { 'train.extra_args': '{"optim": "adamw_8bit", "lora_rank": 64, "max_steps": 10}' }],
  ['packing', { 'train.packing': true }],
  ['neat_packing', { 'train.neat_packing': true }],
  ['train_on_prompt', { 'train.train_on_prompt': true }],
  ['mask_history', { 'train.mask_history': true }],
  ['resize_vocab', { 'train.resize_vocab': true }],
  ['use_llama_pro', { 'train.use_llama_pro': true, 'train.freeze_trainable_layers': 4 }],
  ['enable_thinking off', { 'train.enable_thinking': false }],
  ['report_to', { 'train.report_to': 'tensorboard' }],
  ['finetuning_type: full', { 'top.finetuning_type': 'full' }],
  ['finetuning_type: freeze', { 'top.finetuning_type': 'freeze', 'train.freeze_trainable_layers': -4, 'train.freeze_trainable_modules': 'mlp', 'train.freeze_extra_modules': 'embed_tokens' }],
  ['finetuning_type: oft', { 'top.finetuning_type': 'oft' }],
  ['lora_rank / lora_alpha / lora_dropout', { 'train.lora_rank': 16, 'train.lora_alpha': 32, 'train.lora_dropout': 0.05 }],
  ['loraplus_lr_ratio', { 'train.loraplus_lr_ratio': 16 }],
  ['create_new_adapter (on a checkpoint)', { 'train.create_new_adapter': true, 'top.checkpoint_path': ['train_a'] }],
  ['use_rslora', { 'train.use_rslora': true }],
  ['use_dora', { 'train.use_dora': true }],
  ['use_pissa', { 'train.use_pissa': true }],
  ['lora_target / additional_target', { 'train.lora_target': 'q_proj,v_proj', 'train.additional_target': 'embed_tokens' }],
  ['checkpoint_path: two LoRA adapters', { 'top.checkpoint_path': ['train_a', 'train_b'] }],
  ['checkpoint_path: a full checkpoint (the model)', { 'top.finetuning_type': 'full', 'top.checkpoint_path': 'train_full' }],
  ['checkpoint_path: a path', { 'top.checkpoint_path': ['/data/adapters/a'] }],
  ['checkpoint_path: empty', { 'top.checkpoint_path': [] }],
  ['quantization_bit 4 (bnb)', { 'top.quantization_bit': '4' }],
  ['quantization_bit 8 (hqq)', { 'top.quantization_bit': '8', 'top.quantization_method': 'hqq' }],
  ['quantization_bit 8 (eetq)', { 'top.quantization_bit': '8', 'top.quantization_method': 'eetq' }],
  ['booster: flashattn2', { 'top.booster': 'flashattn2' }],
  ['booster: unsloth', { 'top.booster': 'unsloth' }],
  ['booster: liger_kernel', { 'top.booster': 'liger_kernel' }],
  ['rope_scaling', { 'top.rope_scaling': 'linear' }],
  ['template', { 'top.template': 'qwen3' }],
  ['multimodal model: freeze parts and pixel limits', { 'top.model_name': 'Qwen2.5-VL-3B-Instruct', 'top.model_path': 'Qwen/Qwen2.5-VL-3B-Instruct', 'top.template': 'qwen2_vl', 'train.freeze_vision_tower': false, 'train.freeze_language_model': true, 'train.image_max_pixels': '512*512', 'train.video_min_pixels': '8*8' }],
  ['use_galore (full)', { 'top.finetuning_type': 'full', 'train.use_galore': true, 'train.galore_rank': 32, 'train.galore_target': 'mlp' }],
  ['use_apollo (full)', { 'top.finetuning_type': 'full', 'train.use_apollo': true, 'train.apollo_scale': 16 }],
  ['use_badam (full)', { 'top.finetuning_type': 'full', 'train.use_badam': true, 'train.badam_mode': 'layer', 'train.badam_switch_mode': 'random' }],
  ['use_swanlab', { 'train.use_swanlab': true, 'train.swanlab_project': 'p', 'train.swanlab_run_name': 'r', 'train.swanlab_mode': 'local' }],
  ['ds_stage 2', { 'train.ds_stage': '2' }],
  ['ds_stage 2 + offload', { 'train.ds_stage': '2', 'train.ds_offload': true }],
  ['ds_stage 3', { 'train.ds_stage': '3' }],
  ['ds_stage 3 + offload', { 'train.ds_stage': '3', 'train.ds_offload': true }],
];

/** A working folder with the demo datasets the options use, laid out like LLaMA-Factory's data/. */
function workFolder(): string {
  const dir = mkdtempSync(join(tmpdir(), 'ty-lb-work-'));
  mkdirSync(join(dir, 'data'));
  const info: Record<string, unknown> = {
    identity: { file_name: 'identity.json' },
    alpaca_en_demo: { file_name: 'alpaca_en_demo.json' },
    c4_demo: { file_name: 'c4_demo.jsonl', columns: { prompt: 'text' } },
    dpo_en_demo: { file_name: 'dpo_en_demo.json', ranking: true },
    kto_en_demo: { file_name: 'kto_en_demo.json' },
  };
  writeFileSync(join(dir, 'data', 'dataset_info.json'), JSON.stringify(info));
  for (const v of Object.values(info)) writeFileSync(join(dir, 'data', (v as { file_name: string }).file_name), '[]');
  return dir;
}

describe('LlamaBoard saved forms', () => {
  it('are recognised, and plain configs are not', () => {
    expect(isLlamaBoardState(parse(readConfig('gi7014__SunXiaochuan-V1__llamaboard_config.yaml')) as Record<string, unknown>)).toBe(true);
    expect(isLlamaBoardState(parse(readConfig('chandlerzuo__rlhf_recsys__rlhf_train.yaml')) as Record<string, unknown>)).toBe(false);
  });

  it('converts a real Evaluate-tab form (LLaMA-Factory early 2025) as _parse_eval_args does', () => {
    const { config, notes } = convertLlamaBoard(parse(readConfig('gi7014__SunXiaochuan-V1__llamaboard_config.yaml')) as Record<string, unknown>, ctx());
    expect(config).toEqual({
      stage: 'sft',
      // The form does not keep the model path: LlamaBoard takes it from its model table.
      model_name_or_path: 'Qwen/Qwen2.5-3B-Instruct',
      preprocessing_num_workers: 16,
      finetuning_type: 'lora',
      template: 'qwen',
      flash_attn: 'auto',
      // As saved by the LlamaBoard of the time; today's LLaMA-Factory calls it bnb (validation says so).
      quantization_method: 'bitsandbytes',
      dataset_dir: 'data',
      eval_dataset: 'sunxiaochuan',
      cutoff_len: 1024,
      max_samples: 500,
      per_device_eval_batch_size: 2,
      predict_with_generate: true,
      report_to: 'none',
      max_new_tokens: 512,
      top_p: 0.7,
      temperature: 1.1,
      seed: 42,
      output_dir: 'saves/Qwen2.5-3B-Instruct/lora/eval_2025-03-06-08-28-01',
      trust_remote_code: true,
      ddp_timeout: 180000000,
      do_predict: true,
      adapter_name_or_path: 'saves/Qwen2.5-3B-Instruct/lora/normal_gpt',
    });
    expect(notes.join(' ')).toMatch(/LlamaBoard's path for "Qwen2.5-3B-Instruct"/);
    // It validates from a folder that has its dataset: the old method name only warns, with today's name.
    const work = workFolder();
    writeFileSync(join(work, 'data', 'dataset_info.json'), JSON.stringify({ sunxiaochuan: { file_name: 'identity.json' } }));
    const fs = isolatedFs();
    const issues = validateConfig(JSON.stringify(config), { fileName: 'training_args.json', workDir: work, catalogue, fs });
    expect(issues.filter((i) => i.severity === 'error')).toEqual([]);
    expect(issues.find((i) => i.key === 'quantization_method')).toMatchObject({ severity: 'warning', suggestion: 'bnb', message: expect.stringMatching(/LLaMA-Factory replaced quantization_method: bitsandbytes with bnb \(c3c0efbaa/) });
  });

  it('takes the model path from LlamaBoard\'s user config and the output folder a form was saved in', () => {
    const { 'top.model_path': _p, 'train.output_dir': _o, ...saved } = base;
    const c = convertLlamaBoard(saved, ctx({ userConfig: { path_dict: { 'Qwen2.5-0.5B-Instruct': '/models/qwen05' }, cache_dir: '/cache' }, savedIn: 'saves/Qwen2.5-0.5B-Instruct/lora/run1' })).config;
    expect(c).toMatchObject({ model_name_or_path: '/models/qwen05', cache_dir: '/cache', output_dir: 'saves/Qwen2.5-0.5B-Instruct/lora/run1' });
    expect(convertLlamaBoard(saved, ctx({ hub: 'modelscope' })).config).toMatchObject({ model_name_or_path: 'Qwen/Qwen2.5-0.5B-Instruct', output_dir: 'saves/Qwen2.5-0.5B-Instruct/lora/train_2026-01-02-03-04-05' });
  });

  it('keys LlamaBoard renames or leaves out: neftune_alpha, use_pissa, an empty checkpoint, ds_stage', () => {
    const c = (patch: Record<string, unknown>) => convertLlamaBoard({ ...base, ...patch }, ctx()).config;
    expect(c({ 'train.neftune_alpha': 5 })).toMatchObject({ neftune_noise_alpha: 5 });
    expect(c({ 'train.neftune_alpha': 5 })).not.toHaveProperty('neftune_alpha');
    expect(c({ 'train.neftune_alpha': 0 })).not.toHaveProperty('neftune_noise_alpha');
    expect(c({ 'train.use_pissa': true })).toMatchObject({ pissa_init: true, pissa_convert: true });
    expect(c({ 'top.checkpoint_path': [] })).not.toHaveProperty('adapter_name_or_path');
    expect(c({ 'train.ds_stage': '3', 'train.ds_offload': true }).deepspeed).toBe(join(resourcesDir, 'llamafactory', 'deepspeed', 'ds_z3_offload_config.json'));
    expect(c({ 'train.extra_args': '{"optim": "adamw_8bit", "lora_rank": 64}' })).toMatchObject({ optim: 'adamw_8bit', lora_rank: 8 });
  });

  describe('each Train-tab option converts and validates clean', () => {
    const work = workFolder();
    const fs = isolatedFs();
    it.each(OPTIONS)('%s', (_name, patch) => {
      const { config } = convertLlamaBoard({ ...base, ...patch }, ctx());
      const issues = validateConfig(JSON.stringify(config), { fileName: 'training_args.json', workDir: work, catalogue, fs });
      expect(issues.filter((i) => i.severity === 'error')).toEqual([]);
    });
  });

  const venv = lfVenv();
  it.skipIf(!venv.ok)(`gives, for every option, the very arguments LlamaBoard's runner.py builds${venv.ok ? '' : ` (skipped: ${venv.why})`}`, () => {
    const v = (venv as { value: { python: string } }).value;
    const states = [base, ...OPTIONS.map(([, patch]) => ({ ...base, ...patch }))];
    const script = [
      'import json, sys',
      'from llamafactory.webui.runner import Runner',
      'from llamafactory.webui.common import _clean_cmd',
      'class Manager:',
      '    def get_elem_by_id(self, elem_id): return elem_id',
      'from llamafactory.webui.common import create_ds_config',
      'runner = Runner(Manager())',
      'args = [_clean_cmd(runner._parse_train_args(s)) for s in json.load(sys.stdin)]',
      'create_ds_config()',
      'ds = {f: json.load(open("llamaboard_cache/" + f)) for f in ["ds_z2_config.json", "ds_z2_offload_config.json", "ds_z3_config.json", "ds_z3_offload_config.json"]}',
      'print(json.dumps({"args": args, "ds": ds}))',
    ].join('\n');
    // In an empty folder: LlamaBoard reads llamaboard_cache/user_config.yaml from its working directory (and writes its DeepSpeed files there).
    const r = spawnSync(v.python, ['-c', script], { input: JSON.stringify(states), cwd: mkdtempSync(join(tmpdir(), 'ty-lb-run-')), encoding: 'utf8', timeout: 300_000, env: { ...process.env, DISABLE_VERSION_CHECK: '1' } });
    expect(r.status, r.stderr).toBe(0);
    const out = JSON.parse(r.stdout.trim().split('\n').at(-1)!) as { args: Record<string, unknown>[]; ds: Record<string, unknown> };
    const theirs = out.args;
    // The DeepSpeed files Trainyard points at hold what LlamaBoard's create_ds_config writes.
    for (const [name, content] of Object.entries(out.ds)) expect(JSON.parse(readFileSync(join(resourcesDir, 'llamafactory', 'deepspeed', name), 'utf8')), name).toEqual(content);
    states.forEach((s, i) => {
      const ours = convertLlamaBoard(s, ctx()).config;
      // LlamaBoard points at the DeepSpeed files it writes into llamaboard_cache/; Trainyard at the same files it ships.
      if (typeof ours.deepspeed === 'string') ours.deepspeed = join('llamaboard_cache', basename(ours.deepspeed));
      expect(ours, i === 0 ? 'defaults' : OPTIONS[i - 1]![0]).toEqual(theirs[i]);
    });
  }, 320_000);
});
