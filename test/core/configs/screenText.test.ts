/** The pre-parse screen: nesting depth outside quotes and comments, binary content. */
import { describe, expect, it } from 'vitest';
import { MAX_NESTING, nestingDepth, screenConfigText } from '../../../src/core/configs/screenText.js';

describe('nestingDepth', () => {
  it('counts flow brackets, compact sequences and ignores quotes and comments', () => {
    expect(nestingDepth('a: 1\nb: [1, [2, {c: 3}]]\n')).toBe(3);
    expect(nestingDepth('a: "[[[[[["\nb: \'{{{{\'\n# [[[[[[[[\n')).toBe(0);
    expect(nestingDepth('- - - - x\n')).toBe(4);
    expect(nestingDepth('lora_target: q_proj,v_proj\nlearning_rate: 1.0e-4\n')).toBe(0);
  });

  it('stops early on hostile depth, by brackets or by indentation', () => {
    expect(nestingDepth('a: ' + '['.repeat(100_000))).toBe(MAX_NESTING + 1);
    expect(nestingDepth('a:\n' + ' '.repeat(10_000) + 'b: 1\n')).toBe(MAX_NESTING + 1);
  });
});

describe('screenConfigText', () => {
  it('passes real configs and refuses binary or deep text', () => {
    expect(screenConfigText('model_name_or_path: Qwen/Qwen2.5-7B\n# 中文注释\ntemplate: qwen\n')).toBeNull();
    expect(screenConfigText('a: 1\u0000\u0001')?.text).toMatch(/binary/);
    expect(screenConfigText('a: ' + '{'.repeat(70))?.text).toMatch(/nested/);
  });
});
