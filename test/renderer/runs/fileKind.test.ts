/** Classification of output-dir files for the Files tab. */
import { describe, expect, it } from 'vitest';
import { fileKind } from '../../../src/renderer/features/runs/fileKind.js';

describe('fileKind', () => {
  it('recognises what LLaMA-Factory writes', () => {
    expect(fileKind({ name: 'checkpoint-200', isDir: true })).toBe('checkpoint');
    expect(fileKind({ name: 'adapter_model.safetensors', isDir: false })).toBe('adapter');
    expect(fileKind({ name: 'adapter_config.json', isDir: false })).toBe('adapter');
    expect(fileKind({ name: 'all_results.json', isDir: false })).toBe('results');
    expect(fileKind({ name: 'eval_results.json', isDir: false })).toBe('results');
    expect(fileKind({ name: 'trainer_state.json', isDir: false })).toBe('results');
    expect(fileKind({ name: 'trainer_log.jsonl', isDir: false })).toBe('log');
    expect(fileKind({ name: 'running_log.txt', isDir: false })).toBe('log');
    expect(fileKind({ name: 'training_loss.png', isDir: false })).toBe('plot');
  });
  it('leaves the rest alone', () => {
    expect(fileKind({ name: 'checkpoint-200', isDir: false })).toBe('other');
    expect(fileKind({ name: 'runs', isDir: true })).toBe('other');
    expect(fileKind({ name: 'tokenizer_config.json', isDir: false })).toBe('other');
  });
});
