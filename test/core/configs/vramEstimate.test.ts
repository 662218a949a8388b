/** The VRAM estimator against the seed table (published model dims), DeepSpeed sharding, and calibration from past runs. */
import { existsSync, readFileSync } from 'node:fs';
import { dirname, resolve } from 'node:path';
import { describe, expect, it } from 'vitest';
import { parse } from 'yaml';
import { calibrate } from '../../../src/core/configs/calibration.js';
import { nodeConfigFs, readModelConfig } from '../../../src/core/configs/configFs.js';
import { countParams, paramsFromName } from '../../../src/core/configs/modelParams.js';
import { deepspeedShape, estimateVram } from '../../../src/core/configs/vramEstimate.js';
import { fill, type Message } from '../../../src/shared/messages/message.js';
import { engineZh } from '../../../src/shared/messages/zhCatalogue.js';
import { repoRoot } from '../../helpers/fixtures.js';
import { modelConfig } from './helpers.js';

const GB = 1e9 / 2 ** 20; // MiB per GB
const lora = { stage: 'sft', do_train: true, finetuning_type: 'lora', lora_target: 'all', bf16: true, per_device_train_batch_size: 2, cutoff_len: 2048 };
const est = (cfg: Record<string, unknown>, model: string, opts = {}) => estimateVram(cfg, modelConfig(model), opts)!;
const H100 = 81559; // MiB, the largest single cards here are 80 GB class; H200 is 143771

describe('parameter counts from config.json', () => {
  it.each([
    ['Llama-2-7b-hf', 6.74e9],
    ['Llama-2-13b-hf', 13.02e9],
    ['Qwen2.5-7B-Instruct', 7.62e9],
    ['Meta-Llama-3-70B', 70.55e9],
    ['Qwen2.5-0.5B-Instruct', 0.494e9],
  ])('%s ≈ %d', (name, expected) => {
    expect(countParams(modelConfig(name))!.total / expected).toBeCloseTo(1, 2);
  });
  it('guesses from a name when there is no config', () => {
    expect(paramsFromName('meta-llama/Llama-2-70b-hf')).toBe(70e9);
    expect(paramsFromName('Qwen/Qwen2.5-0.5B-Instruct')).toBe(0.5e9);
    expect(paramsFromName('my-model')).toBeNull();
  });
});

describe('estimateVram against the seed table', () => {
  it('7B LoRA, bf16, batch 1–2, cutoff 1024–2048: about 20–30 GB', () => {
    for (const model of ['Llama-2-7b-hf', 'Qwen2.5-7B-Instruct']) {
      const big = est(lora, model);
      const small = est({ ...lora, per_device_train_batch_size: 1, cutoff_len: 1024 }, model);
      expect(big.highMiB).toBeGreaterThan(20 * GB);
      expect(big.lowMiB).toBeLessThan(30 * GB);
      expect(small.lowMiB).toBeGreaterThan(14 * GB);
      expect(small.highMiB).toBeLessThan(big.highMiB);
      expect(big.lowMiB).toBeLessThan(big.highMiB);
    }
  });
  it('13B full fine-tune needs more than 80 GB', () => {
    const e = est({ ...lora, finetuning_type: 'full' }, 'Llama-2-13b-hf');
    expect(e.lowMiB).toBeGreaterThan(80 * GB);
    // 16 bytes per parameter for mixed-precision Adam.
    expect(e.lowMiB).toBeGreaterThan((13e9 * 16) / 2 ** 20 * 0.95);
  });
  it('QLoRA 7B stays well under 16 GB', () => {
    const e = est({ ...lora, quantization_bit: 4, per_device_train_batch_size: 1 }, 'Llama-2-7b-hf');
    expect(e.highMiB).toBeLessThan(12 * GB);
    expect(e.notes.join(' ')).toMatch(/4-bit/);
  });
  it('70B full fine-tune is above any single GPU', () => {
    expect(est({ ...lora, finetuning_type: 'full' }, 'Meta-Llama-3-70B').lowMiB).toBeGreaterThan(143771);
  });
  const example = resolve(repoRoot, 'resources/examples/too-big-70b-full.yaml');
  it.skipIf(!existsSync(example))('the too-big-70b-full example is above any single GPU', () => {
    const cfg = parse(readFileSync(example, 'utf8')) as Record<string, unknown>;
    const model = readModelConfig(String(cfg.model_name_or_path), dirname(example), nodeConfigFs());
    const e = estimateVram(cfg, model, {})!;
    expect(e.lowMiB).toBeGreaterThan(143771);
    if (model) expect(e.notes.join(' ')).not.toMatch(/guessed/);
  });
  it('turning gradient checkpointing off costs activations of every layer', () => {
    const on = est(lora, 'Llama-2-7b-hf');
    const off = est({ ...lora, disable_gradient_checkpointing: true }, 'Llama-2-7b-hf');
    expect(off.lowMiB - on.lowMiB).toBeGreaterThan(8 * GB);
  });
  it('ZeRO-3 shards a full fine-tune over 8 GPUs so it fits 80 GB cards; ZeRO-2 offload drops the optimizer', () => {
    const z3 = est({ ...lora, finetuning_type: 'full', deepspeed: 'ds_z3_config.json' }, 'Llama-2-13b-hf', { gpuCount: 8 });
    expect(z3.highMiB).toBeLessThan(H100);
    const z2off = est({ ...lora, finetuning_type: 'full', deepspeed: 'ds_z2_offload_config.json' }, 'Llama-2-13b-hf', { gpuCount: 2 });
    expect(z2off.breakdown.find((b) => /optimizer/.test(b.label))).toBeUndefined();
    expect(deepspeedShape({ deepspeed: 'x.json' }, { zero_optimization: { stage: 3, offload_param: { device: 'cpu' } } })).toEqual({ stage: 3, offloadOptimizer: false, offloadParams: true });
  });
  it('falls back to the model name, and returns null when nothing is known', () => {
    const e = estimateVram({ ...lora, model_name_or_path: 'meta-llama/Llama-2-7b-hf' }, null)!;
    expect(e.notes[0]).toMatch(/guessed from the model name/);
    expect(estimateVram({ ...lora, model_name_or_path: './mystery' }, null)).toBeNull();
  });
  it('words its notes and parts as catalogue messages (English as before, Chinese for the tooltip)', () => {
    const zh = (m: Message): string => fill(engineZh[m.code], m.params, zh);
    const e = est({ ...lora, finetuning_type: 'full', deepspeed: 'x.json' }, 'Llama-2-13b-hf', {
      gpuCount: 8,
      deepspeed: { zero_optimization: { stage: 3, offload_param: { device: 'cpu' } } },
    });
    expect(e.notes).toEqual(e.notesSaid.map((m) => m.text));
    expect(e.notes).toContain('ZeRO-3 over 8 GPUs, parameters offloaded to CPU.');
    expect(e.notesSaid.map(zh)).toContain('ZeRO-3 分布在 8 张 GPU 上，参数卸载到 CPU。');
    for (const b of e.breakdown) expect(b.label).toBe(b.said.text);
    expect(e.breakdown.map((b) => zh(b.said))).toContain('激活值（2×2048 个 token，梯度检查点）');
  });
  it('the breakdown adds up to the middle of the range', () => {
    const e = est(lora, 'Llama-2-7b-hf');
    const sum = e.breakdown.reduce((s, b) => s + b.mib, 0);
    expect(sum).toBeGreaterThan(e.lowMiB);
    expect(sum).toBeLessThan(e.highMiB);
  });
});

describe('calibration from measured peaks', () => {
  const samples = [
    { model: 'm', finetuningType: 'lora', estimateMiB: 20000, peakMiB: 24000 },
    { model: 'm', finetuningType: 'lora', estimateMiB: 10000, peakMiB: 11000 },
    { model: 'm', finetuningType: 'full', estimateMiB: 10000, peakMiB: 5000 },
    { model: 'other', finetuningType: 'lora', estimateMiB: 10000, peakMiB: 1000 },
  ];
  it('uses only runs of the same model and method, and reports how far off they were', () => {
    expect(calibrate(samples, 'm', 'lora')).toEqual({ runs: 2, meanRatio: 1.15, meanAbsErrorPct: 15 });
    expect(calibrate(samples, 'x', 'lora')).toBeNull();
  });
  it('scales the estimate by the ratio', () => {
    const raw = est(lora, 'Llama-2-7b-hf');
    const cal = est(lora, 'Llama-2-7b-hf', { calibration: { runs: 2, meanRatio: 1.15 } });
    expect(cal.highMiB / raw.highMiB).toBeCloseTo(1.15, 2);
    expect(cal.calibration).toEqual({ runs: 2, meanRatio: 1.15 });
  });
});
