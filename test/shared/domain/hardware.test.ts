/** The hardware rules: bf16 / FlashAttention on cards that lack them, and a config that picks its own GPUs. */
import { readFileSync } from 'node:fs';
import { parse } from 'yaml';
import { describe, expect, it } from 'vitest';
import { capabilityValue, hardwareWarnings, type CardCapability } from '../../../src/shared/domain/hardware.js';
import { fixture } from '../../helpers/fixtures.js';

const v100: CardCapability = { index: 0, name: 'Tesla V100-SXM2-32GB', computeCap: '7.0' };
const t4: CardCapability = { index: 1, name: 'Tesla T4', computeCap: '7.5' };
const a100: CardCapability = { index: 2, name: 'NVIDIA A100-SXM4-80GB', computeCap: '8.0' };
const h100: CardCapability = { index: 3, name: 'NVIDIA H100 80GB HBM3', computeCap: '9.0' };
const unknown: CardCapability = { index: 4, name: 'Old driver', computeCap: null };

const check = (yaml: string, cards: CardCapability[]) => hardwareWarnings(parse(yaml) as Record<string, unknown>, yaml, cards);

describe('hardwareWarnings', () => {
  it('reads capabilities as numbers', () => {
    expect(capabilityValue('7.5')).toBe(75);
    expect(capabilityValue('12.0')).toBe(120);
    expect(capabilityValue('[N/A]')).toBeNull();
  });

  it('names the cards below 8.0 for bf16 (V100, T4), and none of Ampere or newer, nor cards of unknown capability', () => {
    const w = check('bf16: true\n', [v100, t4, a100, h100, unknown]);
    expect(w).toEqual([{ code: 'bf16-old-card', key: 'bf16', cards: [{ index: 0, name: v100.name, cap: '7.0' }, { index: 1, name: t4.name, cap: '7.5' }] }]);
    expect(check('bf16: true\n', [a100, h100, unknown])).toEqual([]);
    expect(check('fp16: true\n', [v100])).toEqual([]);
    expect(check('pure_bf16: true\nbf16: false\n', [t4])[0]).toMatchObject({ code: 'bf16-old-card', key: 'pure_bf16' });
  });

  it('fa2 needs 8.0 and fa3 needs 9.0; auto and sdpa are never warned about', () => {
    expect(check('flash_attn: fa2\n', [t4, a100])).toEqual([{ code: 'flash-attn-old-card', value: 'fa2', needs: '8.0', cards: [{ index: 1, name: t4.name, cap: '7.5' }] }]);
    expect(check('flash_attn: fa3\n', [a100, h100])[0]).toMatchObject({ value: 'fa3', needs: '9.0', cards: [{ index: 2 }] });
    expect(check('flash_attn: auto\n', [v100])).toEqual([]);
    expect(check('flash_attn: sdpa\n', [v100])).toEqual([]);
  });

  it('finds CUDA_VISIBLE_DEVICES in the comment of a real config (the command it was run with)', () => {
    const yaml = readFileSync(fixture('real-world/configs/chandlerzuo__rlhf_recsys__rlhf_train.yaml'), 'utf8');
    expect(check(yaml, [h100])).toEqual([{ code: 'cuda-visible-devices', devices: '6', where: 'comment' }]);
  });

  it('finds it as a key or in an env block, and not in a comment that only mentions the variable', () => {
    expect(check('CUDA_VISIBLE_DEVICES: 0,1\n', [])).toEqual([{ code: 'cuda-visible-devices', devices: '0,1', where: 'key' }]);
    expect(check('env:\n  CUDA_VISIBLE_DEVICES: "2"\n', [])).toEqual([{ code: 'cuda-visible-devices', devices: '2', where: 'key' }]);
    expect(check('# set CUDA_VISIBLE_DEVICES yourself\nbf16: true\n', [])).toEqual([]);
  });
});
