/** Parses every real results file in the shared fixtures (results/) and checks specific values. */
import { readFileSync, readdirSync } from 'node:fs';
import { describe, expect, it } from 'vitest';
import { figuresOf, parsePredictions, parseResultsJson, parseTrainerState } from '../../../src/core/compare/results.js';
import { fixture } from '../../helpers/fixtures.js';

const dir = fixture('real-world', 'results');
const read = (name: string) => readFileSync(`${dir}/${name}`, 'utf8');
const figs = (name: string) => figuresOf(parseResultsJson(read(name), name));

describe('results files (real fixtures)', () => {
  it('covers every file of the folder', () => {
    const tested = new Set([
      'AnthonyTang7__LLM-Assisted-RL__generated_predictions.jsonl',
      'AnthonyTang7__LLM-Assisted-RL__predict_results.json',
      'agosalvez__tfm-lora-specialized-adapter__results__trainer_state.json',
      'chandlerzuo__rlhf_recsys__outputs__all_results.json',
      'chandlerzuo__rlhf_recsys__outputs__eval_results.json',
      'chandlerzuo__rlhf_recsys__outputs__train_results.json',
      'chandlerzuo__rlhf_recsys__outputs__trainer_state.json',
      'gi7014__SunXiaochuan-V1__all_results.json',
      'heymimihere__my_work__sft__eval_results.json',
      'krgy12138__NEU_NLP_homework__flash_attn__all_results.json',
      'krgy12138__NEU_NLP_homework__flash_attn__eval__predict_results.json',
      'linxiang-ai__qwen-lora-sft__results__m3__all_results.json',
      'nihappy213__law_LLM__saves__llama3-8b__full__sft__all_results.json',
      'suzushi-tw__luojiu-7b-base__all_results.json',
      'suzushi-tw__luojiu-7b-base__trainer_state.json',
      'syGOAT__Mistral-v0.2-Translator-bf16__checkpoint-500__trainer_state.json',
      'xueh88401-web__qwen2.5-7b-medical-finetune__all_results.json',
    ]);
    expect(new Set(readdirSync(dir))).toEqual(tested);
  });

  it('predict results with predict_model_preparation_time', () => {
    const f = figs('AnthonyTang7__LLM-Assisted-RL__predict_results.json');
    expect(f.bleu4).toBeCloseTo(92.21327412109375, 10);
    expect(f.rouge1).toBeCloseTo(79.13039501953125, 10);
    expect(f.rouge2).toBeCloseTo(68.8172404296875, 10);
    expect(f.rougeL).toBeCloseTo(85.05834140625001, 10);
    expect(f.predictRuntimeS).toBe(674.3849);
    expect(f.raw.predict_model_preparation_time).toBe(0.007);
    const g = figs('gi7014__SunXiaochuan-V1__all_results.json');
    expect(g.bleu4).toBe(2.2241416);
    expect(g.rougeL).toBe(10.5493132);
    expect(g.trainLoss).toBeUndefined();
  });

  it('old predict results without predict_model_preparation_time', () => {
    const f = figs('krgy12138__NEU_NLP_homework__flash_attn__eval__predict_results.json');
    expect(f.bleu4).toBe(1.21347);
    expect(f.rouge2).toBe(2.308885);
    expect(f.raw.predict_model_preparation_time).toBeUndefined();
  });

  it('DPO/ORPO results with slash keys: accuracy from eval_rewards/accuracies', () => {
    const all = figs('chandlerzuo__rlhf_recsys__outputs__all_results.json');
    expect(all.evalAccuracy).toBe(0.5600000023841858);
    expect(all.evalLoss).toBe(0.1257188469171524);
    expect(all.trainLoss).toBe(0.196971476432823);
    expect(all.raw['eval_rewards/margins']).toBe(0.0005533824441954494);
    expect(all.raw['eval_logps/chosen']).toBe(-0.032557789236307144);
    expect(figs('chandlerzuo__rlhf_recsys__outputs__eval_results.json').raw.eval_odds_ratio_loss).toBe(1.2451095581054688);
    const tr = figs('chandlerzuo__rlhf_recsys__outputs__train_results.json');
    expect(tr.epoch).toBe(2.986666666666667);
    expect(tr.totalFlos).toBe(1.034399076235346e17);
    const dpo = figs('linxiang-ai__qwen-lora-sft__results__m3__all_results.json');
    expect(dpo.evalAccuracy).toBe(0.5666667222976685);
    expect(dpo.raw['eval_logps/rejected']).toBe(-424.1763916015625);
    expect(dpo.trainRuntimeS).toBe(950.2203);
  });

  it('train and eval results (old format, full FT, early end, QLoRA with eval)', () => {
    expect(figs('suzushi-tw__luojiu-7b-base__all_results.json')).toMatchObject({ trainLoss: 1.3936967928547503, trainRuntimeS: 371992.1593, epoch: 3 });
    expect(figs('suzushi-tw__luojiu-7b-base__all_results.json').totalFlos).toBeUndefined();
    expect(figs('nihappy213__law_LLM__saves__llama3-8b__full__sft__all_results.json')).toMatchObject({ epoch: 5.912, totalFlos: 21568545423360 });
    expect(figs('krgy12138__NEU_NLP_homework__flash_attn__all_results.json')).toMatchObject({ epoch: 2.39, trainLoss: 2.675433013301629 });
    expect(figs('heymimihere__my_work__sft__eval_results.json')).toMatchObject({ evalLoss: 1.044925332069397, epoch: 2.9955555555555557 });
    const x = figs('xueh88401-web__qwen2.5-7b-medical-finetune__all_results.json');
    expect(x).toMatchObject({ evalLoss: 1.5777634382247925, trainLoss: 1.6923917185465496, trainSamplesPerSec: 2.205 });
  });

  it('trainer_state.json: log entries, DPO keys, summary entry, checkpoint state', () => {
    const a = parseTrainerState(read('agosalvez__tfm-lora-specialized-adapter__results__trainer_state.json'));
    expect(a.globalStep).toBe(240);
    expect(a.log).toHaveLength(48);
    expect(a.log[0]).toMatchObject({ step: 5, epoch: 0.4444444444444444 });
    expect(a.log[0]!.values.loss).toBe(2.0905);
    expect(a.log.at(-1)!.values.loss).toBe(0.0707);
    expect(a.log.every((e) => e.values.learning_rate === 0.0005)).toBe(true);
    expect(a.summary!.train_loss).toBe(0.19847503900527955);
    const d = parseTrainerState(read('chandlerzuo__rlhf_recsys__outputs__trainer_state.json'));
    expect(d.log).toHaveLength(33);
    expect(d.log[0]!.values['rewards/accuracies']).toBe(0.4625000059604645);
    expect(d.log.at(-1)).toMatchObject({ step: 330 });
    const old = parseTrainerState(read('suzushi-tw__luojiu-7b-base__trainer_state.json'));
    expect(old.log).toHaveLength(1742);
    expect(old.log[0]!.values).toMatchObject({ loss: 1.7484, step: 5 });
    expect(old.summary!.train_runtime).toBe(371992.1593);
    const ck = parseTrainerState(read('syGOAT__Mistral-v0.2-Translator-bf16__checkpoint-500__trainer_state.json'));
    expect(ck.summary).toBeNull();
    expect(ck.maxSteps).toBe(8660);
    expect(ck.log.at(-1)!.values.loss).toBe(0.6294);
  });

  it('generated_predictions.jsonl with prompt; without prompt and broken lines too', () => {
    const p = parsePredictions(read('AnthonyTang7__LLM-Assisted-RL__generated_predictions.jsonl'));
    expect(p.rows).toHaveLength(200);
    expect(p.badLines).toBe(0);
    expect(p.rows[0]!.prompt).toContain('Intel Xeon Platinum 8180');
    expect(p.rows[0]!.label).toBe('Max Energy Consumption: 385\n Static Energy Consumption: 48.2');
    expect(p.rows[0]!.predict).toBe('Max Energy Consumption: 426\n Static Energy Consumption: 50');
    const old = parsePredictions('{"label": "a", "predict": "b"}\nnot json\n{"label": 1}\n');
    expect(old.rows).toEqual([{ prompt: null, label: 'a', predict: 'b' }]);
    expect(old.badLines).toBe(2);
  });

  it('rejects an LFS pointer and broken JSON with a message naming the file', () => {
    expect(() => parseResultsJson('version https://git-lfs.github.com/spec/v1\noid sha256:x\nsize 3', 'all_results.json')).toThrow(/LFS pointer/);
    expect(() => parseResultsJson('{"a": ', 'eval_results.json')).toThrow(/eval_results.json is not valid JSON/);
    expect(() => parseResultsJson('[1]', 'x.json')).toThrow(/not a JSON object/);
  });
});
