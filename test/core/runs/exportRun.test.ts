/** The export config Trainyard derives from a LoRA run: LF's infer-parser keys only, the adapter on its unquantized base, and where it writes. */
import { mkdirSync, mkdtempSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import YAML from 'yaml';
import { describe, expect, it } from 'vitest';
import { exportConfigYaml, exportSpec, nextExportDir } from '../../../src/core/runs/exportRun.js';
import { prepareConfig, runEnv } from '../../../src/core/runs/prepareLaunch.js';
import type { Run } from '../../../src/shared/types/run.js';

const train = `### model
model_name_or_path: Qwen/Qwen3-0.6B
trust_remote_code: true
quantization_bit: 4
stage: sft
do_train: true
finetuning_type: lora
lora_rank: 8
dataset: identity
template: qwen3
cutoff_len: 2048
output_dir: saves/qwen3/lora
learning_rate: 1.0e-4
`;

describe('export config', () => {
  it("keeps LF's export keys and drops training and quantization keys", () => {
    const cfg = YAML.parse(exportConfigYaml(train, { adapterDir: '/o/saves/qwen3/lora', workDir: '/lf', exportDir: '/o/saves/qwen3/lora/merged' })) as Record<string, unknown>;
    expect(cfg).toEqual({
      model_name_or_path: 'Qwen/Qwen3-0.6B',
      adapter_name_or_path: '/o/saves/qwen3/lora',
      finetuning_type: 'lora',
      template: 'qwen3',
      stage: 'sft',
      trust_remote_code: true,
      cutoff_len: 2048,
      export_dir: '/o/saves/qwen3/lora/merged',
      export_size: 5,
      export_device: 'cpu',
      export_legacy_format: false,
    });
  });
  it('refuses a full fine-tune: it has no adapter to merge', () => {
    expect(() => exportConfigYaml(train.replace('finetuning_type: lora', 'finetuning_type: full'), { adapterDir: '/o', workDir: '/lf', exportDir: '/x' })).toThrow(/no adapter to merge/);
  });
  it('never writes over an earlier export', () => {
    const dir = mkdtempSync(join(tmpdir(), 'ty-export-'));
    expect(nextExportDir(dir)).toBe(join(dir, 'merged'));
    mkdirSync(join(dir, 'merged'));
    expect(nextExportDir(dir)).toBe(join(dir, 'merged-2'));
  });
  it('launches as kind export on the CPU, in export_dir, without training variables', () => {
    const out = mkdtempSync(join(tmpdir(), 'ty-export-run-'));
    writeFileSync(join(out, 'adapter_config.json'), '{}');
    writeFileSync(join(out, 'config.yaml'), train);
    const run = { id: 'run_1', name: 'qwen', kind: 'train', status: 'finished', outputDir: out, configPath: join(out, 'config.yaml'), workDir: '/lf', taskId: null, sweepId: null, gpuIndices: [1], gpuUuids: ['GPU-1'] } as unknown as Run;
    const spec = exportSpec(run, {});
    expect(spec).toMatchObject({ kind: 'export', parentRunId: 'run_1', gpuIndices: [] });
    const prepared = prepareConfig(spec, 'run_2', '/data/outputs');
    expect(prepared.outputDir).toBe(join(out, 'merged'));
    // output_dir would be refused by LF's infer parser: the config is left as it is.
    expect(prepared.yaml).not.toMatch(/^output_dir:/m);
    const env = runEnv({ spec, outputDir: prepared.outputDir, masterPort: 29500, hasDeepspeed: false });
    expect(env.LLAMABOARD_ENABLED).toBeUndefined();
    expect(env.CUDA_VISIBLE_DEVICES).toBe('');
    expect(() => exportSpec({ ...run, status: 'running' }, {})).toThrow(/once the run has ended/);
    expect(() => exportSpec({ ...run, outputDir: join(out, 'nope') }, {})).toThrow(/No adapter/);
  });
});
