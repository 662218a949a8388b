/** The inference config of a run follows LLaMA-Factory: the run's own template or none, adapters only for PEFT runs, earlier adapters merged. */
import { mkdirSync, mkdtempSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { describe, expect, it } from 'vitest';
import YAML from 'yaml';
import { buildInferConfig, trainedModelKeys } from '../../../src/core/inference/inferConfig.js';
import type { Run } from '../../../src/shared/types/run.js';
import { defaultSettings } from '../../../src/shared/types/settings.js';

const work = mkdtempSync(join(tmpdir(), 'ty-infer-'));
const out = join(work, 'saves', 'run');
mkdirSync(join(out, 'checkpoint-4'), { recursive: true });
mkdirSync(join(work, 'models', 'base'), { recursive: true });

function runWith(config: string): Run {
  const configPath = join(work, `${Math.random().toString(36).slice(2)}.yaml`);
  writeFileSync(configPath, config);
  return { id: 'run_x', name: 'x', configPath, outputDir: out, workDir: work } as Run;
}
const infer = (config: string, checkpoint: string | null = null) =>
  YAML.parse(buildInferConfig(runWith(config), checkpoint, defaultSettings).yaml) as Record<string, unknown>;

describe('buildInferConfig', () => {
  it('never invents a template: none in the run, none served (LF then parses the tokenizer chat template)', () => {
    const cfg = infer('model_name_or_path: models/base\nfinetuning_type: lora\n');
    expect(cfg).not.toHaveProperty('template');
    expect(cfg).toEqual({ model_name_or_path: join(work, 'models/base'), adapter_name_or_path: out, finetuning_type: 'lora', infer_backend: 'huggingface' });
  });

  it("keeps the run's template and the prompt settings it trained with", () => {
    const cfg = infer('model_name_or_path: Qwen/Qwen3-4B\ntemplate: qwen3_nothink\ndefault_system: Be brief.\nenable_thinking: false\n');
    expect(cfg).toMatchObject({ template: 'qwen3_nothink', default_system: 'Be brief.', enable_thinking: false, model_name_or_path: 'Qwen/Qwen3-4B' });
  });

  it('serves an OFT run as the adapter it is, with finetuning_type lora (the only one LF accepts adapters with)', () => {
    const cfg = infer('model_name_or_path: models/base\nfinetuning_type: oft\noft_block_size: 32\n', 'checkpoint-4');
    expect(cfg).toMatchObject({ adapter_name_or_path: join(out, 'checkpoint-4'), finetuning_type: 'lora' });
  });

  it('serves full and freeze runs as the model itself', () => {
    for (const ft of ['full', 'freeze']) {
      const cfg = infer(`model_name_or_path: models/base\nfinetuning_type: ${ft}\n`);
      expect(cfg).toMatchObject({ model_name_or_path: out, finetuning_type: ft });
      expect(cfg).not.toHaveProperty('adapter_name_or_path');
    }
  });
});

describe('trainedModelKeys', () => {
  it('merges the adapters a run started from the way LF did while training', () => {
    const cfg = { model_name_or_path: 'base', adapter_name_or_path: 'a1, a2' };
    // Trained on: a1 merged into the base, a2 trained further into the run's output.
    expect(trainedModelKeys(cfg, '/out', work).adapter_name_or_path).toBe('a1,/out');
    expect(trainedModelKeys({ ...cfg, create_new_adapter: true }, '/out', work).adapter_name_or_path).toBe('a1,a2,/out');
  });
});
