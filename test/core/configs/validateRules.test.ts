/** Validator rules on small configs in a real temp folder: datasets, models in the HF cache, syntax, types, kinds. */
import { copyFileSync, mkdirSync, readdirSync, writeFileSync } from 'node:fs';
import { join } from 'node:path';
import { beforeAll, describe, expect, it } from 'vitest';
import { validateConfig } from '../../../src/core/configs/validateConfig.js';
import { engineEn } from '../../../src/shared/messages/catalogue.js';
import { fill, msg, type Message } from '../../../src/shared/messages/message.js';
import { engineZh } from '../../../src/shared/messages/zhCatalogue.js';
import { catalogue, configsDir, isolatedFs, readConfig } from './helpers.js';

const fs = isolatedFs();
const work = join(fs.tmp, 'work');
const v = (text: string, fileName = 'c.yaml') => validateConfig(text, { fileName, workDir: work, catalogue, fs });
const base = 'model_name_or_path: ./m\nstage: sft\ndo_train: true\ndataset: identity\noutput_dir: out\n';

beforeAll(() => {
  mkdirSync(join(work, 'data'), { recursive: true });
  copyFileSync(join(configsDir, 'Mrsultimarati-911__FinQuant_Qwen2.5-7B_QLoRA__data__dataset_info.json'), join(work, 'data', 'dataset_info.json'));
  writeFileSync(join(work, 'data', 'identity.json'), '[]');
  mkdirSync(join(work, 'm'));
  writeFileSync(join(work, 'm', 'config.json'), '{}');
  mkdirSync(join(work, 'own'));
  copyFileSync(join(configsDir, 'agosalvez__tfm-lora-specialized-adapter__config__dataset_info.json'), join(work, 'own', 'dataset_info.json'));
  const snap = join(fs.hfHubCache, 'models--Qwen--Qwen2.5-7B-Instruct', 'snapshots', 'abc');
  mkdirSync(snap, { recursive: true });
  writeFileSync(join(snap, 'config.json'), '{}');
});

describe('validateConfig rules', () => {
  it('accepts a complete local config with no findings', () => {
    expect(v(base)).toEqual([]);
  });
  it('names the unknown dataset and suggests the nearest registered one', () => {
    const issues = v(base.replace('dataset: identity', 'dataset: identity,alpaca_en_dem'));
    expect(issues).toHaveLength(1);
    expect(issues[0]).toMatchObject({ severity: 'error', key: 'dataset', line: 4, suggestion: 'alpaca_en_demo' });
    expect(issues[0]!.message).toMatch(/"alpaca_en_dem" is not in .*dataset_info\.json\. Did you mean alpaca_en_demo\?/);
  });
  it('resolves dataset_dir against the work dir and checks the registered file', () => {
    const issues = v(base.replace('dataset: identity', 'dataset: magic1\ndataset_dir: own'));
    expect(issues.map((i) => i.message)).toEqual([expect.stringMatching(/magic1.*own\/ds-full\.jsonl does not exist/)]);
  });
  it('treats ONLINE and REMOTE: dataset dirs as information', () => {
    expect(v(base + 'dataset_dir: ONLINE\n')).toEqual([expect.objectContaining({ severity: 'info', message: expect.stringMatching(/ONLINE/) })]);
    expect(v(base + 'dataset_dir: REMOTE:org/repo\n')[0]).toMatchObject({ severity: 'info' });
  });
  it('finds a hub model in the HF cache (no note) and notes one that will be downloaded', () => {
    expect(v(base.replace('./m', 'Qwen/Qwen2.5-7B-Instruct'))).toEqual([]);
    expect(v(base.replace('./m', 'meta-llama/Llama-2-7b-hf'))).toEqual([expect.objectContaining({ severity: 'info', message: expect.stringMatching(/will be downloaded/) })]);
  });
  it('reads an unquoted 1e-4 as a float, as OmegaConf.load does (parser.py:119), and warns about quoted numbers', () => {
    expect(v(base + 'learning_rate: 1e-4\n')).toEqual([]);
    expect(v(base + 'learning_rate: 1.0e-4\n')).toEqual([]);
    expect(v(base + 'learning_rate: "5e-5"\n')[0]).toMatchObject({ severity: 'warning', key: 'learning_rate', line: 6, suggestion: '5.0e-5' });
  });
  it('rejects wrong types and values outside the choices with a suggestion', () => {
    const issues = v(base + 'finetuning_type: lroa\nlora_rank: sixteen\nbf16: "true"\n');
    expect(issues.find((i) => i.key === 'finetuning_type')).toMatchObject({ severity: 'error', suggestion: 'lora' });
    expect(issues.find((i) => i.key === 'lora_rank')).toMatchObject({ severity: 'error', message: expect.stringMatching(/whole number/) });
    expect(issues.find((i) => i.key === 'bf16')).toMatchObject({ severity: 'error', message: expect.stringMatching(/string "true"/) });
  });
  it('suggests a close spelling for an unknown key and flags env vars used as keys', () => {
    const issues = v(base + 'lerning_rate: 1.0e-4\nFORCE_TORCHRUN: 1\n');
    expect(issues.find((i) => i.key === 'lerning_rate')).toMatchObject({ severity: 'error', suggestion: 'learning_rate' });
    expect(issues.find((i) => i.key === 'FORCE_TORCHRUN')?.message).toMatch(/environment variable/);
  });
  it('requires what LLaMA-Factory requires, in its words: a model always, a dataset to train', () => {
    const msgs = v('stage: sft\ndo_train: true\noutput_dir: o\n').map((i) => i.message);
    expect(msgs).toEqual(
      expect.arrayContaining([
        expect.stringMatching(/Missing required key model_name_or_path: LLaMA-Factory stops with "Please provide `model_name_or_path`\."/),
        expect.stringMatching(/"Please specify dataset for training\." \(src\/llamafactory\/hparams\/parser\.py:477-478\)/),
      ]),
    );
    // No do_train is not an error to LLaMA-Factory (it defaults to false): the reader is told what will happen.
    const noTrain = v('stage: sft\nmodel_name_or_path: ./m\n');
    expect(noTrain.filter((i) => i.severity === 'error')).toEqual([]);
    expect(noTrain.find((i) => i.severity === 'warning')?.message).toMatch(/do_train is not set .*exit without training/);
    expect(noTrain.find((i) => i.key === 'output_dir')).toMatchObject({ severity: 'info', message: expect.stringMatching(/trainer_output/) });
  });
  it('gives YAML syntax errors with line and column', () => {
    const issues = v('model_name_or_path: ./m\nstage: [sft\ndo_train: true\n');
    expect(issues[0]).toMatchObject({ severity: 'error', message: expect.stringMatching(/^YAML syntax error/) });
    expect(issues[0]!.line).toBeGreaterThanOrEqual(2);
    expect(issues[0]!.column).toBeGreaterThan(0);
    expect(v('a: 1\na: 2\n')[0]!.message).toMatch(/unique/i);
  });
  it('validates JSON configs and locates JSON syntax errors', () => {
    expect(v(JSON.stringify({ model_name_or_path: './m', stage: 'sft', do_train: true, dataset: 'identity', output_dir: 'o' }), 'c.json')).toEqual([]);
    const bad = v('{\n  "stage": "sft",\n  "do_train": true,\n}', 'c.json');
    expect(bad).toHaveLength(1);
    expect(bad[0]).toMatchObject({ severity: 'error', line: 4 });
  });
  it('refuses a list or a scalar at the top level', () => {
    expect(v('- a\n- b\n')[0]!.message).toMatch(/mapping/);
    expect(v('')[0]!.message).toMatch(/empty/);
  });
  it('catches cross-key mistakes with the words LLaMA-Factory and transformers stop with', () => {
    const msgs = v(base + 'bf16: true\nfp16: true\nfinetuning_type: full\nquantization_bit: 4\n').map((i) => i.message);
    expect(msgs).toEqual(
      expect.arrayContaining([
        expect.stringMatching(/"At most one of fp16 and bf16 can be True, but not both" \(transformers\/training_args\.py/),
        expect.stringMatching(/"Quantization is only compatible with the LoRA or OFT method\." \(src\/llamafactory\/hparams\/parser\.py:235-237\)/),
      ]),
    );
  });
  it('reports an empty adapter_name_or_path (what the old LlamaBoard conversion wrote) as LLaMA-Factory fails on it', () => {
    const issues = v(base + 'adapter_name_or_path: ""\n');
    expect(issues).toEqual([expect.objectContaining({ severity: 'error', key: 'adapter_name_or_path', line: 6, message: expect.stringMatching(/one adapter named ""/) })]);
  });
  it('gives renamed and removed keys their replacement, citing where LLaMA-Factory removed them', () => {
    const issues = v(base + 'dpo_beta: 0.1\nefficient_packing: true\nimage_resolution: 512\nray_run_name: r\n');
    const at = (k: string) => issues.find((i) => i.key === k)!;
    // The bundled list is LLaMA-Factory ff6d4d1's: an older install may still take them, so they warn (not silently accepted).
    expect(at('dpo_beta')).toMatchObject({ severity: 'warning', suggestion: 'pref_beta', message: expect.stringMatching(/^LLaMA-Factory replaced dpo_beta with pref_beta \(b0d996666, 2024-05-26; hiyouga\/LLaMA-Factory@b0d996666 "support SimPO #3900"\)/) });
    expect(at('efficient_packing')).toMatchObject({ severity: 'warning', suggestion: 'neat_packing' });
    expect(at('image_resolution')).toMatchObject({ severity: 'warning', suggestion: 'image_max_pixels', message: expect.stringMatching(/pixel count/) });
    expect(at('ray_run_name')).toMatchObject({ severity: 'warning', message: expect.stringMatching(/removed ray_run_name \(762b48013.*#10109.*ray_num_workers and ray_init_kwargs remain/) });
    expect(at('ray_run_name').message).toContain(`stops with "Some keys are not used by the HfArgumentParser: ['dpo_beta', 'efficient_packing', 'image_resolution', 'ray_run_name']"`);
    // A removed value: KTransformers is no longer an inference backend (an api/chat config).
    expect(v('model_name_or_path: ./m\ntemplate: qwen\ninfer_backend: ktransformers\n')).toEqual([
      expect.objectContaining({ severity: 'warning', key: 'infer_backend', suggestion: 'huggingface', message: expect.stringMatching(/not one of huggingface, vllm, sglang\. LLaMA-Factory replaced infer_backend: ktransformers with huggingface \(887ee2b12/) }),
    ]);
    // Against the installed version's own list, a key it lacks certainly stops the run.
    const installed = validateConfig(base + 'dpo_beta: 0.1\n', { workDir: work, catalogue, certainty: 'installed', fs });
    expect(installed[0]).toMatchObject({ severity: 'error', message: expect.stringMatching(/^Unknown key dpo_beta: LLaMA-Factory stops with .*LLaMA-Factory replaced dpo_beta with pref_beta/) });
  });
  it('keys older than every transformers LLaMA-Factory accepts are errors even with the bundled list', () => {
    expect(v(base + 'evaluation_strategy: steps\n').find((i) => i.key === 'evaluation_strategy')).toMatchObject({ severity: 'error', suggestion: 'eval_strategy' });
  });
  it('allows predict_with_generate in a training config (LLaMA-Factory does) and mirrors what it forbids', () => {
    expect(v(base + 'predict_with_generate: true\nval_size: 0.1\n').filter((i) => i.severity === 'error')).toEqual([]);
    expect(v(base.replace('stage: sft', 'stage: dpo') + 'predict_with_generate: true\nval_size: 0.1\n')[0]!.message).toBe(
      'LLaMA-Factory stops at start-up: "`predict_with_generate` cannot be set as True except SFT." (src/llamafactory/hparams/parser.py:410-412).',
    );
    expect(v(base + 'do_predict: true\nval_size: 0.1\n')[0]!.message).toMatch(/"Please enable `predict_with_generate` to save model predictions\."/);
    expect(v(base + 'predict_with_generate: true\ncompute_accuracy: true\nval_size: 0.1\n')[0]!.message).toMatch(/Cannot use `predict_with_generate` and `compute_accuracy` together/);
    expect(v(base + 'finetuning_type: oft\nadapter_name_or_path: ./m\n')[0]!.message).toMatch(/"Adapter is only valid for the LoRA method\."/);
  });
  it('checks keys against the command the config is for: train-only keys in an inference config are refused as llamafactory-cli api would', () => {
    const infer = v('model_name_or_path: ./m\ntemplate: qwen\nwarmup_steps: 10\n');
    expect(infer).toEqual([expect.objectContaining({ severity: 'error', key: 'warmup_steps', line: 3, message: expect.stringMatching(/^warmup_steps is not read by llamafactory-cli api \(only by llamafactory-cli train\): LLaMA-Factory stops with "Some keys are not used by the HfArgumentParser: \['warmup_steps'\]"/) })]);
    // With training-only keys and no do_train, it is a training config that forgot do_train.
    const forgot = v('model_name_or_path: ./m\ndataset: identity\noutput_dir: o\nlearning_rate: 1.0e-4\n');
    expect(forgot.filter((i) => i.severity === 'error')).toEqual([]);
    expect(forgot.map((i) => i.message)).toEqual(expect.arrayContaining([expect.stringMatching(/do_train is not set/)]));
  });
});

/** The renderer's zh(…) without the renderer (its settings store needs a DOM): the template filled, nested messages too. */
const zh = (m: Message): string => fill(engineZh[m.code], m.params, zh);

describe('validation issues as catalogue messages', () => {
  it('gives an unknown key, a wrong type and a missing dataset a code with parameters, worded in Chinese', () => {
    const issues = v(base.replace('dataset: identity', 'dataset: alpaca_en_dem') + 'lerning_rate: 1.0e-4\nlora_rank: sixteen\n');
    const at = (key: string) => issues.find((i) => i.key === key)!;
    const unused = "Some keys are not used by the HfArgumentParser: ['lerning_rate']";
    expect(at('lerning_rate').said).toEqual(
      msg('config.key.unknown', { key: 'lerning_rate', unused, installed: msg('verbatim', { text: '' }), hint: msg('config.hint.didYouMean', { near: 'learning_rate' }) }),
    );
    expect(at('lora_rank').said).toEqual(msg('config.type.int', { key: 'lora_rank', shown: 'sixteen' }));
    expect(at('dataset').said).toMatchObject({ code: 'config.dataset.unknown', params: { name: 'alpaca_en_dem', hint: { code: 'config.hint.didYouMean', params: { near: 'alpaca_en_demo' } } } });
    // The English stays what the CLI printed before; the Chinese is whole sentences, LLaMA-Factory's own words kept.
    expect(at('lora_rank').message).toBe('lora_rank must be a whole number, got sixteen.');
    expect(zh(at('lerning_rate').said)).toBe(`未知的键 lerning_rate：LLaMA-Factory 会报错退出："${unused}"。是不是想写 learning_rate？`);
    expect(zh(at('lora_rank').said)).toBe('lora_rank 必须是整数，实际是 sixteen。');
    expect(zh(at('dataset').said)).toMatch(/^数据集 "alpaca_en_dem" 不在 .*dataset_info\.json 中。是不是想写 alpaca_en_demo？$/);
  });

  it('keeps a parser’s own words as written inside a worded frame', () => {
    const [yamlIssue] = v('a: [1, 2\n');
    expect(yamlIssue!.said.code).toBe('config.parse.yaml');
    expect(zh(yamlIssue!.said)).toBe(`YAML 语法错误：${yamlIssue!.message.replace(/^YAML syntax error: /, '')}`);
    const [jsonIssue] = v('{"a": 1,,}', 'c.json');
    expect(zh(jsonIssue!.said)).toMatch(/^JSON 语法错误：\S/);
  });

  it('words every issue of every real-world config from the catalogue, its English the issue’s message', () => {
    let seen = 0;
    for (const name of readdirSync(configsDir).filter((f) => /\.(ya?ml|json)$/.test(f))) {
      for (const i of validateConfig(readConfig(name), { fileName: name, workDir: configsDir, catalogue, fs })) {
        seen++;
        expect(Object.hasOwn(engineEn, i.said.code), `${name}: ${i.said.code}`).toBe(true);
        expect(i.said.code, `${name}: ${i.message}`).not.toBe('verbatim');
        expect(i.message).toBe(i.said.text);
        // Every placeholder of the Chinese wording has its parameter.
        expect(zh(i.said), `${name}: ${i.said.code}`).not.toMatch(/\{\w+\}/);
      }
    }
    expect(seen).toBeGreaterThan(50);
  });
});
