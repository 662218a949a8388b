/** The demo trainer's do_predict: generation on eval_dataset, BLEU-4/ROUGE, LLaMA-Factory's predict files and log lines. */
import { existsSync, mkdtempSync, readFileSync, rmSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { abortUnderLlamaBoard, EXAMPLES, readJson, readLines, runToEnd, type Run } from './trainerProcess.js';

const TMP = mkdtempSync(join(tmpdir(), 'trainyard-predict-'));
const LORA_OUT = join(TMP, 'lora');

/** A predict config shaped like the one the Compare view derives from a finished LoRA run (predictConfigYaml). */
function predictConfig(name: string, extra: Record<string, string | number | boolean | null> = {}): string {
  const cfg: Record<string, string | number | boolean | null> = {
    model_name_or_path: '../trainers/demo/base-model', adapter_name_or_path: LORA_OUT, trust_remote_code: true,
    stage: 'sft', finetuning_type: 'lora', lora_rank: 16, lora_target: 'all', dataset_dir: 'data', template: 'demo',
    cutoff_len: 256, max_samples: 10, logging_steps: 5, plot_loss: true, report_to: 'none', learning_rate: 2.0e-3,
    per_device_train_batch_size: 8, include_num_input_tokens_seen: true, do_train: false, do_predict: true,
    predict_with_generate: true, eval_dataset: 'support_shop', output_dir: join(LORA_OUT, name), overwrite_output_dir: true,
    ...extra,
  };
  const p = join(TMP, `${name}.yaml`);
  writeFileSync(p, Object.entries(cfg).filter(([, v]) => v !== null).map(([k, v]) => `${k}: ${JSON.stringify(v)}`).join('\n') + '\n');
  return p;
}

const PREDICT_KEYS = ['predict_bleu-4', 'predict_model_preparation_time', 'predict_rouge-1', 'predict_rouge-2',
  'predict_rouge-l', 'predict_runtime', 'predict_samples_per_second', 'predict_steps_per_second'];

let trained: Run;

beforeAll(async () => {
  // the smallest LoRA the other trainer tests use, cut to a few steps: enough for the adapter to answer in the chat format
  trained = await runToEnd(['train', 'support-lora.yaml', `output_dir=${LORA_OUT}`, 'max_steps=12', 'save_steps=100']);
}, 180_000);

afterAll(() => rmSync(TMP, { recursive: true, force: true }));

describe('demo trainer: do_predict with predict_with_generate', () => {
  it('predicts support_shop (max_samples 10) and writes LLaMA-Factory\'s predict files', async () => {
    expect(trained.code, trained.out.slice(-3000)).toBe(0);
    const out = join(LORA_OUT, 'predict-1');
    // batch size 1 → 10 prediction steps → progress lines at steps 5 and 10
    const r = await runToEnd(['train', predictConfig('predict-1'), 'per_device_eval_batch_size=1']);
    expect(r.code, r.out.slice(-3000)).toBe(0);

    const pr = readJson(join(out, 'predict_results.json'));
    expect(Object.keys(pr).sort()).toEqual(PREDICT_KEYS);
    for (const k of ['predict_bleu-4', 'predict_rouge-1', 'predict_rouge-2', 'predict_rouge-l']) {
      const v = pr[k] as number;
      expect(typeof v, k).toBe('number');
      expect(v, k).toBeGreaterThanOrEqual(0);
      expect(v, k).toBeLessThanOrEqual(100);
    }
    expect(pr['predict_bleu-4'] as number).toBeGreaterThan(20); // a trained adapter reproduces most answers
    expect(pr.predict_runtime as number).toBeGreaterThan(0);
    expect(pr.predict_samples_per_second as number).toBeGreaterThan(0);
    expect(pr.predict_steps_per_second as number).toBeGreaterThan(0);
    expect(readJson(join(out, 'all_results.json'))).toMatchObject(pr);

    const preds = readLines(join(out, 'generated_predictions.jsonl'));
    expect(preds).toHaveLength(10);
    const data = JSON.parse(readFileSync(join(EXAMPLES, 'data', 'support_alpaca.json'), 'utf8')) as { instruction: string; output: string }[];
    preds.forEach((p, i) => {
      expect(Object.keys(p)).toEqual(['prompt', 'predict', 'label']);
      expect(typeof p.predict).toBe('string');
      expect((p.predict as string).length).toBeGreaterThan(0);
      expect(p.label).toBe(data[i]!.output);
      // decoded input with special tokens: the conversation up to the assistant turn in the chat template
      expect(p.prompt).toBe(`<s><|user|>${data[i]!.instruction}\n<|assistant|>`);
    });

    const log = readLines(join(out, 'trainer_log.jsonl'));
    expect(log.map((l) => l.current_steps)).toEqual([5, 10]);
    for (const l of log) {
      expect(Object.keys(l)).toEqual(['current_steps', 'total_steps', 'percentage', 'elapsed_time', 'remaining_time']);
      expect(l.total_steps).toBe(10);
      expect(l.elapsed_time).toMatch(/^\d+:\d\d:\d\d$/);
    }
    expect(log[1]!.percentage).toBe(100);

    expect(r.out).toContain('***** Running Prediction *****');
    expect(r.out).toMatch(/\*\*\*\*\* predict metrics \*\*\*\*\*\n {2}predict_bleu-4 +=/);
    expect(r.out).toMatch(/\r\s*\d+%\|[^|]*\| 10\/10 \[\d\d:\d\d<[\d:?]+, +[\d.]+(it\/s|s\/it)\]/);
    expect(r.out).toContain('Saving prediction results to');
  }, 120_000);

  it('batches by per_device_eval_batch_size and reads sharegpt eval data', async () => {
    const out = join(LORA_OUT, 'predict-2');
    const r = await runToEnd(['train', predictConfig('predict-2', { eval_dataset: 'billing_telecom', max_samples: 6 }),
      'per_device_eval_batch_size=4', 'max_new_tokens=48']);
    expect(r.code, r.out.slice(-3000)).toBe(0);
    expect(r.out).toContain('Batch size = 4');
    const preds = readLines(join(out, 'generated_predictions.jsonl'));
    expect(preds).toHaveLength(6);
    for (const p of preds) {
      expect(p.prompt as string).toMatch(/^<s>(<\|system\|>[^\n]*\n)?<\|user\|>[\s\S]*\n<\|assistant\|>$/);
      expect(typeof p.predict).toBe('string');
      expect(new TextEncoder().encode(p.predict as string).length).toBeLessThanOrEqual(48);
      expect((p.label as string).length).toBeGreaterThan(0);
    }
    // 2 steps: no progress line (LF writes one every 5 prediction steps only)
    expect(existsSync(join(out, 'trainer_log.jsonl'))).toBe(false);
    expect(Object.keys(readJson(join(out, 'predict_results.json'))).sort()).toEqual(PREDICT_KEYS);
  }, 60_000);

  it('exits 0 at the next prediction step on SIGABRT with LLAMABOARD_ENABLED=1', async () => {
    const out = join(LORA_OUT, 'predict-abort');
    const r = await abortUnderLlamaBoard(['train', predictConfig('predict-abort', { max_samples: 40, per_device_eval_batch_size: 1 })], out, 150);
    expect(r.code, r.out.slice(-2000)).toBe(0);
    expect(existsSync(join(out, 'predict_results.json'))).toBe(false);
    expect(readFileSync(join(out, 'running_log.txt'), 'utf8')).toContain('Running Prediction');
  }, 90_000);

  it('refuses do_predict without eval_dataset (and val_size) with LLaMA-Factory\'s ValueError', async () => {
    const out = join(LORA_OUT, 'predict-bad');
    const r = await runToEnd(['train', predictConfig('predict-bad', { eval_dataset: null })]);
    expect(r.code).toBe(1);
    expect(r.out).toContain('ValueError: Please make sure eval_dataset be provided or val_size >1e-6');
    expect(existsSync(out)).toBe(false);
    const r2 = await runToEnd(['train', predictConfig('predict-bad2', { eval_dataset: 'support_shop_v2' })]);
    expect(r2.code).toBe(1);
    expect(r2.out).toContain('Undefined dataset support_shop_v2 in dataset_info.json.');
  }, 30_000);
});
