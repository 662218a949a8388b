/** Editing configs: one value changes in place with comments kept; floats in the dotted form; sweep names and grids. */
import { describe, expect, it } from 'vitest';
import { parse } from 'yaml';
import { formatFloat, gridCombos, setValueIn, sweepName } from '../../../src/core/configs/editConfig.js';
import { catalogue, readConfig } from './helpers.js';

describe('setValueIn', () => {
  const original = readConfig('Abdulhadi446__kimi-fabel-5-distill__train_qlora.yaml');

  it('changes one value and keeps every comment and the key order', () => {
    const out = setValueIn(original, 'learning_rate', 2e-5, catalogue);
    expect(out).toMatch(/^learning_rate: 2\.0e-5$/m);
    for (const c of ['# effective batch = 8', "# T4 doesn't support bf16, use fp16", '### quantization — loads model in 4-bit (~8GB), fits on single T4']) expect(out).toContain(c);
    expect(Object.keys(parse(out) as object)).toEqual(Object.keys(parse(original) as object));
    // Only the edited line differs once whitespace before comments is ignored.
    const squash = (s: string) => s.split('\n').map((l) => l.replace(/\s+#/, ' #').trimEnd());
    const diff = squash(out).filter((l, i) => l !== squash(original)[i]);
    expect(diff).toEqual(['learning_rate: 2.0e-5']);
  });
  it('keeps the inline comment of the value it replaces', () => {
    expect(setValueIn(original, 'gradient_accumulation_steps', 16, catalogue)).toMatch(/^gradient_accumulation_steps: 16 # effective batch = 8$/m);
  });
  it('writes integers for float keys with a dot and adds new keys at the end', () => {
    const out = setValueIn(original, 'num_train_epochs', 5, catalogue);
    expect(out).toMatch(/^num_train_epochs: 5\.0$/m);
    expect(setValueIn(original, 'max_steps', 100, catalogue).trimEnd().split('\n').at(-1)).toBe('max_steps: 100');
  });
  it('leaves untouched exponent floats exactly as written', () => {
    const out = setValueIn('a: 1.0e-5 # x\nb: 1e-4\nc: 0.10\n', 'd', true, null);
    expect(out).toBe('a: 1.0e-5 # x\nb: 1e-4\nc: 0.10\nd: true\n');
  });
  it('refuses to edit a file with a syntax error', () => {
    expect(() => setValueIn('a: [1\n', 'b', 1, null)).toThrow(/syntax error/);
  });
});

describe('formatFloat', () => {
  it.each([
    [1e-4, '1.0e-4'],
    [5e-6, '5.0e-6'],
    [2.5e-5, '2.5e-5'],
    [3, '3.0'],
    [0.1, '0.1'],
    [1e20, '1.0e+20'],
  ])('%s → %s (a float to PyYAML)', (n, s) => {
    expect(formatFloat(n)).toBe(s);
    expect(s).toMatch(/^[-+]?(\d[\d_]*)?\.[\d_]*([eE][-+]\d+)?$/);
  });
});

describe('sweeps', () => {
  it('names tasks after their values, first key varying slowest', () => {
    const combos = gridCombos([
      { key: 'learning_rate', values: [1e-4, 5e-5] },
      { key: 'lora_rank', values: [16, 32] },
    ]);
    expect(combos.map((c) => sweepName('support', c))).toEqual(['support-lr1e-4-r16', 'support-lr1e-4-r32', 'support-lr5e-5-r16', 'support-lr5e-5-r32']);
  });
});
