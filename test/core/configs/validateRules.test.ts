/** Validator rules on small configs in a real temp folder: datasets, models in the HF cache, syntax, types, kinds. */
import { copyFileSync, mkdirSync, writeFileSync } from 'node:fs';
import { join } from 'node:path';
import { beforeAll, describe, expect, it } from 'vitest';
import { validateConfig } from '../../../src/core/configs/validateConfig.js';
import { catalogue, configsDir, isolatedFs } from './helpers.js';

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
  it('warns that PyYAML reads 1e-4 as a string and proposes the dotted form', () => {
    const issues = v(base + 'learning_rate: 1e-4\n');
    expect(issues).toEqual([expect.objectContaining({ severity: 'warning', key: 'learning_rate', line: 6, suggestion: '1.0e-4' })]);
    expect(v(base + 'learning_rate: 1.0e-4\n')).toEqual([]);
    expect(v(base + 'learning_rate: "5e-5"\n')[0]).toMatchObject({ severity: 'warning', suggestion: '5.0e-5' });
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
  it('reports missing required keys of a training config', () => {
    const msgs = v('stage: sft\nmodel_name_or_path: ./m\n').map((i) => i.message);
    expect(msgs).toEqual(expect.arrayContaining([expect.stringMatching(/Missing required key output_dir/), expect.stringMatching(/Missing required key dataset/), expect.stringMatching(/Missing required key do_train/)]));
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
  it('catches cross-key mistakes', () => {
    const msgs = v(base + 'bf16: true\nfp16: true\nfinetuning_type: full\nquantization_bit: 4\n').map((i) => i.message);
    expect(msgs).toEqual(expect.arrayContaining([expect.stringMatching(/bf16 and fp16/), expect.stringMatching(/quantization_bit only works with LoRA/)]));
  });
});
