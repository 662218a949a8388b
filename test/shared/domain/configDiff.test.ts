/** Differing config keys by effective value: an unset key means LLaMA-Factory's default. */
import { describe, expect, it } from 'vitest';
import { diffConfigs, effectiveValue } from '../../../src/shared/domain/configDiff.js';

describe('diffConfigs', () => {
  const base = { learning_rate: 0.001, cutoff_len: 256 };
  it('does not count a key left at its default as different from one set to the default', () => {
    const d = diffConfigs([base, { ...base, lora_rank: 8 }], { lora_rank: 8 });
    expect(d.keys).toEqual(['cutoff_len', 'learning_rate', 'lora_rank']);
    expect(d.differing).toEqual([]);
  });

  it('counts a key set to something else than the default, and a missing key without a known default', () => {
    expect(diffConfigs([base, { ...base, lora_rank: 16 }], { lora_rank: 8 }).differing).toEqual(['lora_rank']);
    expect(diffConfigs([base, { ...base, my_key: true }]).differing).toEqual(['my_key']);
    expect(diffConfigs([base]).differing).toEqual([]);
  });

  it('reads the effective value', () => {
    expect(effectiveValue({ a: 1 }, 'a', { a: 2 })).toBe(1);
    expect(effectiveValue({}, 'a', { a: 2 })).toBe(2);
    expect(effectiveValue({}, 'b', { a: 2 })).toBeUndefined();
  });
});
