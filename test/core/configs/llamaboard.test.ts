/** LlamaBoard UI-state files: recognised, converted to a plain config, and the conversion validates. */
import { describe, expect, it } from 'vitest';
import { parse } from 'yaml';
import { convertLlamaBoard, isLlamaBoardState } from '../../../src/core/configs/llamaboard.js';
import { readConfig } from './helpers.js';

const state = parse(readConfig('gi7014__SunXiaochuan-V1__llamaboard_config.yaml')) as Record<string, unknown>;

describe('LlamaBoard UI state', () => {
  it('is recognised, and plain configs are not', () => {
    expect(isLlamaBoardState(state)).toBe(true);
    expect(isLlamaBoardState(parse(readConfig('chandlerzuo__rlhf_recsys__rlhf_train.yaml')) as Record<string, unknown>)).toBe(false);
  });
  it('converts the eval tab of the real fixture into a predict config', () => {
    const { config, notes, dropped } = convertLlamaBoard(state);
    expect(config).toEqual({
      model_name_or_path: 'Qwen/Qwen2.5-3B-Instruct',
      adapter_name_or_path: 'saves/Qwen2.5-3B-Instruct/lora/normal_gpt',
      finetuning_type: 'lora',
      stage: 'sft',
      do_predict: true,
      predict_with_generate: true,
      per_device_eval_batch_size: 2,
      cutoff_len: 1024,
      eval_dataset: 'sunxiaochuan',
      dataset_dir: 'data',
      max_new_tokens: 512,
      max_samples: 500,
      output_dir: 'saves/Qwen2.5-3B-Instruct/lora/eval_2025-03-06-08-28-01',
      temperature: 1.1,
      top_p: 0.7,
      flash_attn: 'auto',
      quantization_method: 'bitsandbytes',
      template: 'qwen',
    });
    expect(notes.join(' ')).toMatch(/derived from LlamaBoard's model name/);
    expect(dropped).toEqual([]);
  });
  it('lists keys it cannot map', () => {
    expect(convertLlamaBoard({ 'train.learning_rate': '5e-5', 'train.mystery_knob': 3, 'top.model_name': 'x' }).dropped).toEqual(['train.mystery_knob']);
    expect(convertLlamaBoard({ 'train.learning_rate': '5e-5', 'top.model_name': 'x' }).config.learning_rate).toBe(5e-5);
  });
});
