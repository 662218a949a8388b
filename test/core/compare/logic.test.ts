/** Pure logic of compare: differing config keys, EMA smoothing, ROUGE-L and scoring, spot-check files, CSV, energy. */
import { readFileSync } from 'node:fs';
import { describe, expect, it } from 'vitest';
import { diffConfigs, parseConfigText } from '../../../src/core/compare/configKeys.js';
import { csvCell, tableToCsv } from '../../../src/core/compare/csv.js';
import { integrateEnergyWh } from '../../../src/core/compare/energy.js';
import { predictConfigYaml } from '../../../src/core/compare/predict.js';
import { lcsLength, rougeL, scoreAnswer, tokenize } from '../../../src/core/compare/scoring.js';
import { parseSpotCheckFile } from '../../../src/core/compare/spotCheckFile.js';
import { emaSmooth } from '../../../src/shared/util/ema.js';
import type { CompareRow } from '../../../src/shared/types/compare.js';
import { fixture, resourcesDir } from '../../helpers/fixtures.js';

describe('config keys', () => {
  it('flattens real configs; numbers like 2.0e-3 become numbers; output_dir is not compared', () => {
    const a = parseConfigText(readFileSync(fixture('real-world', 'configs', 'linxiang-ai__qwen-lora-sft__configs__qwen25_7b_lora_sft.yaml'), 'utf8'));
    expect(a.dataset).toBe('identity,alpaca_zh_demo');
    expect(a.output_dir).toBeUndefined();
    expect(parseConfigText('learning_rate: 2.0e-3\nlr2: 1e-4\nname: "x"\nlist: [1, 2]\nnested: {a: 1}')).toEqual({
      learning_rate: 0.002,
      lr2: 0.0001,
      name: 'x',
      list: '[1,2]',
      'nested.a': 1,
    });
    expect(() => parseConfigText('- a\n- b')).toThrow(/mapping/);
    expect(() => parseConfigText('a: [unclosed')).toThrow();
  });

  it('finds only the keys that differ; a key missing in one run differs', () => {
    const base = { learning_rate: 0.001, cutoff_len: 256, lora_rank: 8 };
    const d = diffConfigs([base, { ...base, learning_rate: 0.002 }, { ...base, learning_rate: 0.001, extra: true }]);
    expect(d.keys).toEqual(['cutoff_len', 'extra', 'learning_rate', 'lora_rank']);
    expect(d.differing).toEqual(['extra', 'learning_rate']);
    expect(diffConfigs([base]).differing).toEqual([]);
    expect(diffConfigs([base, { ...base }]).differing).toEqual([]);
  });
});

describe('EMA smoothing (debiased, like TensorBoard)', () => {
  it('keeps a constant curve constant from the first point (no pull towards 0)', () => {
    expect(emaSmooth([5, 5, 5], 0.9)).toEqual([5, 5, 5].map(() => expect.closeTo(5, 12)));
  });
  it('matches the hand-computed debiased values', () => {
    const s = emaSmooth([1, 2, 3], 0.5);
    expect(s[0]).toBeCloseTo(1, 12);
    expect(s[1]).toBeCloseTo((0.25 + 0.5 * 2 * 1) / 0.75, 12); // (0.5*0.5*1 + 0.5*2) / (1-0.25) = 1.6667
    expect(s[2]).toBeCloseTo((0.5 * 1.25 + 0.5 * 3) / 0.875, 12);
    expect(emaSmooth([1, 2, 3], 0)).toEqual([1, 2, 3]);
  });
  it('passes NaN through without poisoning later points', () => {
    const s = emaSmooth([1, NaN, 1], 0.6);
    expect(s[1]).toBeNaN();
    expect(s[2]).toBeCloseTo(1, 12);
  });
});

describe('ROUGE-L and scoring', () => {
  it('tokenizes words and CJK per character', () => {
    expect(tokenize('Hello, World! 30 days.')).toEqual(['hello', 'world', '30', 'days']);
    expect(tokenize('退款3到5个工作日')).toEqual(['退', '款', '3', '到', '5', '个', '工', '作', '日']);
  });
  it('LCS and F1 values', () => {
    expect(lcsLength(['a', 'b', 'c', 'd'], ['a', 'c', 'd', 'e'])).toBe(3);
    expect(rougeL('the cat sat on the mat', 'the cat is on the mat')).toBeCloseTo(5 / 6, 12);
    expect(rougeL('a b', 'c d')).toBe(0);
    expect(rougeL('', '')).toBe(1);
    expect(rougeL('退款原路返回', '退款会原路返回')).toBeCloseTo((2 * 1 * (6 / 7)) / (1 + 6 / 7), 12);
  });
  it('exact and contains ignore case, spacing and end punctuation', () => {
    expect(scoreAnswer('30 Days.', '30 days')).toMatchObject({ exact: true, contains: true, rougeL: 1 });
    expect(scoreAnswer('You have 30 days to return it.', '30 days')).toMatchObject({ exact: false, contains: true });
    expect(scoreAnswer('About a month', '30 days')).toMatchObject({ exact: false, contains: false, rougeL: 0 });
  });
});

describe('spot-check files', () => {
  it('reads the bundled example ({prompt, expected} JSONL)', () => {
    const cases = parseSpotCheckFile(readFileSync(`${resourcesDir}/examples/data/spot-check.jsonl`, 'utf8'), 'spot-check.jsonl');
    expect(cases.length).toBeGreaterThan(2);
    expect(cases[0]).toEqual({ prompt: 'How long do I have to return an item?', expected: '30 days' });
  });
  it('reads alpaca JSON arrays (instruction + input joined) and reports the bad line', () => {
    const cases = parseSpotCheckFile('[{"instruction":"Translate","input":"hola","output":"hello"},{"instruction":"Hi","input":"","output":"Hello"}]');
    expect(cases).toEqual([
      { prompt: 'Translate\nhola', expected: 'hello' },
      { prompt: 'Hi', expected: 'Hello' },
    ]);
    expect(() => parseSpotCheckFile('{"prompt":"a","expected":"b"}\n{"prompt":"c"}\n', 't.jsonl')).toThrow('t.jsonl line 2: "prompt" without "expected".');
    expect(() => parseSpotCheckFile('{"prompt":"a","expected":"b"}\n{oops\n', 't.jsonl')).toThrow('t.jsonl line 2 is not JSON.');
    expect(() => parseSpotCheckFile('  \n', 'e.jsonl')).toThrow('e.jsonl is empty.');
    expect(() => parseSpotCheckFile('{"q": 1}', 'x')).toThrow(/needs/);
  });
});

describe('CSV', () => {
  it('escapes quotes, commas, newlines, edge spaces and formula starts', () => {
    expect(csvCell('plain')).toBe('plain');
    expect(csvCell('a,b')).toBe('"a,b"');
    expect(csvCell('say "hi"')).toBe('"say ""hi"""');
    expect(csvCell('line1\nline2')).toBe('"line1\nline2"');
    expect(csvCell(' pad')).toBe('" pad"');
    expect(csvCell('=SUM(A1)')).toBe("'=SUM(A1)");
    expect(csvCell(-1.5)).toBe('-1.5');
    expect(csvCell(null)).toBe('');
    expect(csvCell(NaN)).toBe('');
    expect(csvCell(true)).toBe('true');
  });
  it('writes a BOM, a header with config keys and one CRLF line per run', () => {
    const row = { runId: 'r1', name: 'lr "high", 中文', status: 'finished', gpuIndices: [0, 1], tags: ['a'], notes: 'x\ny', config: { learning_rate: 0.002 } } as unknown as CompareRow;
    const csv = tableToCsv([row], ['learning_rate', 'cutoff_len']);
    expect(csv.startsWith('\uFEFFrun,run_id,status,gpus,')).toBe(true);
    const lines = csv.slice(1).split('\r\n');
    expect(lines[0]!.endsWith(',tags,notes,learning_rate,cutoff_len')).toBe(true);
    expect(lines[1]!.startsWith('"lr ""high"", 中文",r1,finished,0 1,')).toBe(true);
    expect(lines[1]!.endsWith(',a,"x\ny",0.002,')).toBe(true);
    expect(lines[2]).toBe('');
  });
});

describe('energy', () => {
  it('integrates raw samples with the trapezoid rule and skips long gaps', () => {
    // 100 W for one hour in 1-minute samples = 100 Wh.
    const s = Array.from({ length: 61 }, (_, i) => ({ at: i * 60_000, resolution: 0, w: 100 }));
    expect(integrateEnergyWh(s, 0, 3_600_000)).toBeCloseTo(100, 9);
    expect(integrateEnergyWh([{ at: 0, resolution: 0, w: 100 }, { at: 3_600_000, resolution: 0, w: 100 }], 0, 3_600_000)).toBeNull();
  });
  it('uses buckets only where no raw samples cover the time', () => {
    const buckets = [0, 60_000].map((at) => ({ at, resolution: 60_000, w: 200 }));
    const raw = [60_000, 90_000, 120_000].map((at) => ({ at, resolution: 0, w: 300 }));
    // Minute 0 from the bucket (200 W × 60 s), minute 1 from raw (300 W × 60 s) = 30 000 J.
    expect(integrateEnergyWh([...buckets, ...raw], 0, 120_000)).toBeCloseTo(30_000 / 3600, 9);
    expect(integrateEnergyWh([], 0, 1000)).toBeNull();
  });
});

describe('predict config', () => {
  it('turns a LoRA training config into a predict config on the adapter', () => {
    const yaml = readFileSync(`${resourcesDir}/examples/support-lora.yaml`, 'utf8');
    const out = predictConfigYaml(yaml, { evalDataset: 'support_shop', trainedDir: '/runs/a', outputDir: '/runs/a/predict-1', workDir: '/work', maxSamples: 20 });
    expect(out).toMatch(/^do_train: false$/m);
    expect(out).toMatch(/^do_predict: true$/m);
    expect(out).toMatch(/^predict_with_generate: true$/m);
    expect(out).toMatch(/^eval_dataset: support_shop$/m);
    expect(out).toMatch(/^adapter_name_or_path: \/runs\/a$/m);
    expect(out).toMatch(/^output_dir: \/runs\/a\/predict-1$/m);
    expect(out).toMatch(/^max_samples: 20$/m);
    expect(out).not.toMatch(/^dataset:/m);
    expect(out).toContain('# Online-shop customer service');
    const full = predictConfigYaml('finetuning_type: full\nmodel_name_or_path: base\n', { evalDataset: 'x', trainedDir: '/o', outputDir: '/o/predict-1', workDir: '/work' });
    expect(full).toMatch(/^model_name_or_path: \/o$/m);
    expect(full).not.toContain('adapter_name_or_path');
  });

  const opts = { evalDataset: 'x', trainedDir: '/o', outputDir: '/o/predict-1', workDir: '/work' };
  it("follows LLaMA-Factory's predict constraints: no DeepSpeed, no compute_accuracy, the sft stage", () => {
    const out = predictConfigYaml('stage: dpo\nmodel_name_or_path: base\ndeepspeed: examples/deepspeed/ds_z3_config.json\ncompute_accuracy: true\npref_beta: 0.1\n', opts);
    expect(out).not.toMatch(/deepspeed|compute_accuracy/);
    expect(out).toMatch(/^stage: sft$/m);
    expect(out).toMatch(/^pref_beta: 0.1$/m);
    expect(() => predictConfigYaml('stage: rm\nmodel_name_or_path: base\n', opts)).toThrow(/reward model/);
  });

  it('loads an OFT run as its adapter with finetuning_type lora, as LF requires for adapters', () => {
    const out = predictConfigYaml('model_name_or_path: base\nfinetuning_type: oft\noft_block_size: 32\n', opts);
    expect(out).toMatch(/^finetuning_type: lora$/m);
    expect(out).toMatch(/^adapter_name_or_path: \/o$/m);
    expect(out).toMatch(/^model_name_or_path: base$/m);
  });
});
