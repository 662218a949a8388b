/** The validator against every real-world config in the shared fixtures: each file's specific findings. */
import { readdirSync } from 'node:fs';
import { describe, expect, it } from 'vitest';
import type { ValidationIssue } from '../../../src/shared/types/task.js';
import { validateParsed } from '../../../src/core/configs/validateConfig.js';
import { parseConfig } from '../../../src/core/configs/parseConfig.js';
import { catalogue, configsDir, isolatedFs, readConfig } from './helpers.js';

const fs = isolatedFs();
function check(name: string) {
  const parsed = parseConfig(readConfig(name), name);
  return validateParsed(parsed, { fileName: name, workDir: configsDir, catalogue, fs });
}
const find = (issues: ValidationIssue[], severity: string, re: RegExp) => issues.find((i) => i.severity === severity && re.test(i.message));

describe('validateConfig on real-world configs', () => {
  it('covers every YAML config in the fixtures folder', () => {
    const yamls = readdirSync(configsDir).filter((f) => /\.ya?ml$/.test(f));
    expect(yamls.sort()).toEqual(Object.keys(expectations).sort());
  });

  const expectations: Record<string, (r: ReturnType<typeof check>) => void> = {
    '1000111-1000111__llm-cybersecurity__llama3_full_sft.yaml': ({ issues, kind, ok }) => {
      expect(kind).toBe('train');
      expect(ok).toBe(false);
      const unknown = find(issues, 'error', /Unknown key train_size/);
      expect(unknown).toMatchObject({ line: 38, suggestion: 'val_size' });
      // Renamed in transformers 4.41 and gone before 4.55, the oldest transformers LLaMA-Factory accepts: certain to stop the run.
      expect(find(issues, 'error', /transformers 4\.46 replaced evaluation_strategy with eval_strategy \(huggingface\/transformers#30190/)).toMatchObject({ line: 40, suggestion: 'eval_strategy' });
      expect(find(issues, 'info', /save_only_model: 1 is read as true/)).toMatchObject({ line: 35 });
      expect(find(issues, 'error', /DeepSpeed config .*ds_z2_offload_config\.json does not exist/)).toMatchObject({ line: 5 });
      expect(find(issues, 'error', /Model folder .*Meta-Llama-3-8B-Instruct does not exist/)).toMatchObject({ line: 2 });
      // LLaMA-Factory stops at the unknown keys before it looks at evaluation, so no eval_dataset error is reported.
      expect(find(issues, 'error', /eval_dataset/)).toBeUndefined();
      // 0.000007 is a plain decimal: PyYAML reads it as a float, so no warning.
      expect(issues.find((i) => i.key === 'learning_rate')).toBeUndefined();
    },
    '1000111-1000111__llm-cybersecurity__llama3_qlora_eval.yaml': ({ issues, kind }) => {
      expect(kind).toBe('eval');
      expect(find(issues, 'info', /do_eval: 1 is read as true/)).toMatchObject({ line: 7 });
      expect(find(issues, 'info', /do_train: 0 is read as false/)).toMatchObject({ line: 8 });
      expect(find(issues, 'info', /predict_with_generate: 1 is read as true/)).toBeDefined();
      expect(find(issues, 'warning', /output_dir is the adapter's folder .*overwrite_output_dir/)).toMatchObject({ key: 'output_dir', line: 21 });
      expect(find(issues, 'error', /Unknown key train_size/)).toBeDefined();
      // An eval config is not required to have do_train.
      expect(find(issues, 'error', /Missing required key/)).toBeUndefined();
    },
    '1000111-1000111__llm-cybersecurity__llama3_qlora_infer.yaml': ({ issues, kind }) => {
      expect(kind).toBe('infer');
      // saves/… is where training outputs go: a queued training task may still write it, so it only warns.
      expect(issues.filter((i) => i.severity === 'error')).toEqual([]);
      expect(find(issues, 'warning', /Model folder .*saves\/qlora_sft\/merged does not exist \(yet\) \("saves\/qlora_sft\/merged\/" resolves against the folder the trainer runs in/)).toBeDefined();
    },
    'Abdulhadi446__kimi-fabel-5-distill__train_qlora.yaml': ({ issues, kind }) => {
      expect(kind).toBe('train');
      expect(find(issues, 'info', /moonshotai\/Kimi-VL-A3B-Thinking-2506 is not in the Hugging Face cache.*downloaded/)).toMatchObject({ line: 2 });
      expect(find(issues, 'error', /dataset_info\.json not found in .*configs\/data/)).toMatchObject({ key: 'dataset_dir', line: 22 });
      expect(find(issues, 'error', /Unknown key/)).toBeUndefined();
      // learning_rate: 1.0e-4 is the dotted form: no float warning.
      expect(issues.find((i) => i.key === 'learning_rate')).toBeUndefined();
    },
    'AnthonyTang7__LLM-Assisted-RL__training_args.yaml': ({ issues, kind }) => {
      expect(kind).toBe('eval');
      expect(find(issues, 'warning', /Adapter folder .*train_2024-09-13-18-07-02 does not exist/)).toBeDefined();
      expect(find(issues, 'info', /LLM-Research\/gemma-2-9b .*downloaded/)).toBeDefined();
      expect(find(issues, 'error', /Missing required key/)).toBeUndefined();
      expect(find(issues, 'error', /Unknown key/)).toBeUndefined();
    },
    'Nicole-gemini__crystal_agent__agent_lora_adap.yaml': ({ issues, kind }) => {
      expect(kind).toBe('export');
      expect(find(issues, 'error', /Model folder \/home\/featurize\/work\/model\/Qwen2.5-1.5B does not exist/)).toMatchObject({ line: 3 });
      expect(find(issues, 'warning', /Adapter folder .*checkpoint-17574/)).toBeDefined();
      expect(find(issues, 'error', /Missing required key/)).toBeUndefined();
    },
    'Nicole-gemini__crystal_agent__agent_lora_merged.yaml': ({ issues, kind }) => {
      expect(kind).toBe('infer');
      expect(find(issues, 'error', /agent_lora_merged\/? does not exist/)).toMatchObject({ line: 1 });
      expect(find(issues, 'error', /Unknown key/)).toBeUndefined();
    },
    'alvin-susu__prevent_fraud__qwen2_inference.yaml': ({ issues, kind }) => {
      expect(kind).toBe('infer');
      expect(find(issues, 'error', /D:\\pycharm_project\\prevent_fraud\\export is a Windows path/)).toMatchObject({ line: 1 });
    },
    'chandlerzuo__rlhf_recsys__rlhf_inference.yaml': ({ issues, kind, ok }) => {
      expect(kind).toBe('infer');
      expect(ok).toBe(true);
      expect(find(issues, 'warning', /Adapter folder \/data\/users\/chandlerzuo/)).toBeDefined();
      expect(find(issues, 'info', /THUDM\/glm-4-9b-chat .*downloaded/)).toMatchObject({ line: 3 });
    },
    'chandlerzuo__rlhf_recsys__rlhf_train.yaml': ({ issues, kind }) => {
      expect(kind).toBe('train');
      // pref_loss: orpo, stage: dpo and eval_strategy: steps with val_size are all valid.
      expect(issues.filter((i) => i.severity === 'error').map((i) => i.message)).toEqual([expect.stringMatching(/dataset_info\.json not found/)]);
      expect(find(issues, 'error', /dataset_info/)).toMatchObject({ key: 'dataset', line: 17 });
    },
    'gi7014__SunXiaochuan-V1__llamaboard_config.yaml': ({ issues, ok }) => {
      expect(ok).toBe(false);
      expect(issues).toHaveLength(1);
      expect(issues[0]!.message).toMatch(/LlamaBoard UI-state file/);
    },
    'linxiang-ai__qwen-lora-sft__configs__qwen25_7b_lora_dpo_m3.yaml': ({ issues, kind }) => {
      expect(kind).toBe('train');
      expect(find(issues, 'error', /Model folder \/root\/autodl-tmp\/models\/Qwen2.5-7B-Instruct does not exist/)).toMatchObject({ line: 1 });
      expect(find(issues, 'error', /Unknown key/)).toBeUndefined();
      expect(issues.filter((i) => i.severity === 'error')).toHaveLength(2);
    },
    'linxiang-ai__qwen-lora-sft__configs__qwen25_7b_lora_sft.yaml': ({ issues }) => {
      expect(find(issues, 'error', /Model folder \/root\/autodl-tmp/)).toMatchObject({ line: 2 });
      expect(find(issues, 'error', /dataset_info\.json not found/)).toMatchObject({ line: 14 });
      expect(issues.filter((i) => i.severity === 'error')).toHaveLength(2);
    },
    'nihappy213__law_LLM__llama3_law_full.yaml': ({ issues }) => {
      expect(find(issues, 'error', /DeepSpeed config .*examples\/deepspeed\/ds_z3_config\.json does not exist.*LLaMA-Factory checkout/)).toMatchObject({ line: 9 });
      expect(find(issues, 'error', /\/root\/model\/Meta-Llama-3-8B does not exist/)).toBeDefined();
      // report_to: none with a trailing comment is fine.
      expect(issues.find((i) => i.key === 'report_to')).toBeUndefined();
    },
    'rameyjm7__SFT-Training-LLM__sft_config.yaml': ({ issues }) => {
      expect(find(issues, 'error', /my_dz_twoGPU\.json does not exist/)).toMatchObject({ line: 10 });
      expect(find(issues, 'error', /dataset_info\.json not found in \/home\/bjanson\/projects\/P1\/LLaMA-Factory\/data/)).toBeDefined();
      expect(find(issues, 'info', /Qwen\/Qwen2.5-3B-Instruct .*downloaded/)).toBeDefined();
      // The commented-out #FORCE_TORCHRUN is a comment, not a key.
      expect(issues.find((i) => i.key === 'FORCE_TORCHRUN')).toBeUndefined();
    },
    'xueh88401-web__qwen2.5-7b-medical-finetune__medical_full.yaml': ({ issues, kind }) => {
      expect(kind).toBe('train');
      expect(find(issues, 'error', /Model folder .*configs\/Qwen2.5-7B-Instruct does not exist/)).toMatchObject({ line: 2 });
      // QLoRA with LoRA is valid; use_kt is a known key.
      expect(find(issues, 'error', /Quantization is only compatible/)).toBeUndefined();
      expect(issues.find((i) => i.key === 'use_kt')).toBeUndefined();
    },
    'zwchaplin__llmfortrajectory__myyaml__infer__llmtp_sft_infer.yaml': ({ issues, kind }) => {
      expect(kind).toBe('infer');
      expect(find(issues, 'warning', /Adapter folder .*saves\/llmtp\/lora\/sft does not exist/)).toMatchObject({ line: 2 });
    },
  };

  for (const [name, expectFn] of Object.entries(expectations)) it(name, () => expectFn(check(name)));
});
