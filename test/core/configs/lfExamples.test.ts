/**
 * Every example config LLaMA-Factory ships (examples/**, without the v1 stack and the accelerate/FSDP launcher files),
 * validated from the checkout's folder as a task imported from there would be: no errors but the ones LLaMA-Factory
 * itself would stop on from that folder.
 */
import { existsSync, readFileSync, readdirSync, statSync } from 'node:fs';
import { join, relative } from 'node:path';
import { describe, expect, it } from 'vitest';
import { validateConfig } from '../../../src/core/configs/validateConfig.js';
import { taskWorkDir } from '../../../src/core/configs/workDir.js';
import { catalogue, isolatedFs } from './helpers.js';
import { lfCheckout } from './lfSources.js';

function yamls(dir: string): string[] {
  return readdirSync(dir)
    .sort()
    .flatMap((f) => {
      const p = join(dir, f);
      if (statSync(p).isDirectory()) return f === 'v1' || f === 'accelerate' ? [] : yamls(p);
      return /\.ya?ml$/.test(f) ? [p] : [];
    });
}

const src = lfCheckout();

describe.skipIf(!src.ok)(`LLaMA-Factory's example configs${src.ok ? '' : ` (skipped: ${src.why})`}`, () => {
  const root = src.ok ? src.value : '';
  const files = src.ok ? yamls(join(root, 'examples')) : [];
  const fs = isolatedFs();
  const mllmData = existsSync(join(root, 'data', 'mllm_demo.json'));
  /** The errors LLaMA-Factory itself stops on when run from this folder, by example. */
  const expected: Record<string, RegExp[]> = {
    // Their datasets are not registered in LLaMA-Factory's own data/dataset_info.json: "Undefined dataset med in dataset_info.json."
    'examples/extras/asft/llama2_full_asft.yaml': [/Dataset "med" is not in .*data\/dataset_info\.json/],
    'examples/extras/asft/qwen2_full_asft.yaml': [/Dataset "math" is not in .*data\/dataset_info\.json/],
    'examples/ktransformers/train_lora/deepseek_v3_int8_lora_sft_kt.yaml': [/model_name_or_path \/path\/to\/DeepSeek-V3\.1-source is a placeholder/],
  };
  if (!mllmData) {
    // The shared snapshot leaves out the image demo data that LLaMA-Factory's repository has (data/mllm_demo.json).
    for (const f of files) if (/^\s*dataset:.*mllm_demo/m.test(readFileSync(f, 'utf8'))) (expected[relative(root, f)] ??= []).push(/Dataset "mllm_demo": its file .*mllm_demo\.json does not exist/);
  }

  it('finds the 67 example configs', () => expect(files).toHaveLength(67));

  it('validates each from the LLaMA-Factory folder with no errors LLaMA-Factory would not stop on', () => {
    const results = files.map((f) => {
      const wd = taskWorkDir({ sourcePath: f, settingsDir: null, cliFolder: null, tasksDir: '/nonexistent' });
      const issues = validateConfig(readFileSync(f, 'utf8'), { fileName: f, workDir: wd.dir, catalogue, fs });
      return { name: relative(root, f), wd, errors: issues.filter((i) => i.severity === 'error').map((i) => i.message) };
    });
    for (const r of results) {
      expect(r.wd, r.name).toEqual({ dir: root, source: 'near-config' });
      const want = expected[r.name] ?? [];
      expect(r.errors, r.name).toHaveLength(want.length);
      want.forEach((re, i) => expect(r.errors[i], r.name).toMatch(re));
    }
    const clean = results.filter((r) => r.errors.length === 0).length;
    console.log(`LLaMA-Factory examples: ${clean} of ${files.length} without errors from ${root}${mllmData ? '' : ' (this snapshot has no data/mllm_demo.json)'}`);
  });

  it('warns, not errors, where the example is right but needs its setup: Megatron keys, transformers-kt, outputs of other examples', () => {
    const warn = (name: string) => validateConfig(readFileSync(join(root, name), 'utf8'), { fileName: name, workDir: root, catalogue, fs }).filter((i) => i.severity === 'warning');
    expect(warn('examples/megatron_bridge/llama3_sft.yaml')[0]!.message).toMatch(/are Megatron keys: LLaMA-Factory reads them only when started with USE_MEGATRON_BRIDGE=1/);
    expect(warn('examples/ktransformers/train_lora/qwen3moe_lora_sft_kt.yaml')).toEqual([]);
    expect(warn('examples/ktransformers/train_lora/deepseek_v3_lora_sft_kt.yaml')[0]!.message).toMatch(/kt_config is read in training only by transformers-kt/);
    expect(warn('examples/inference/qwen3_full_sft.yaml')[0]!.message).toMatch(/Model folder .*saves\/qwen3-4b\/full\/sft does not exist \(yet\)/);
    expect(warn('examples/extras/multi_tokens/tokens_cfg.yaml')[0]!.message).toMatch(/special-token description file/);
  });
});
