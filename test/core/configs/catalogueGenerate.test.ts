/** scripts/gen-llamafactory-keys.py: the same bytes on every run, what it reads from the sources, and that keys.json is its output. */
import { cpSync, mkdtempSync, readFileSync, readdirSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join, resolve } from 'node:path';
import { describe, expect, it } from 'vitest';
import { parseCatalogue } from '../../../src/core/configs/catalogue.js';
import { repoRoot } from '../../helpers/fixtures.js';
import { generate, lfCheckout, SUBSET, transformersWheel } from './lfSources.js';

const COMMIT = 'ff6d4d12eeb035d6ce06805a5733dd7b29f2ac30';
const REMOVED = resolve(repoRoot, 'scripts/llamafactory-removed-keys.json');
const subsetArgs = (root = SUBSET) => ['--llamafactory', join(root, 'llamafactory'), '--transformers', join(root, 'transformers'), '--commit', COMMIT];

describe('gen-llamafactory-keys on a checkout subset', () => {
  const first = generate(subsetArgs());
  const c = parseCatalogue(first.out, 'generator output');

  it('gives the same bytes on a rerun and from another folder', () => {
    expect(first.code, first.err).toBe(0);
    expect(generate(subsetArgs()).out).toBe(first.out);
    const copy = mkdtempSync(join(tmpdir(), 'ty-subset-'));
    cpSync(SUBSET, copy, { recursive: true });
    expect(generate(subsetArgs(copy)).out).toBe(first.out);
  });

  it('records the LLaMA-Factory commit and version and the transformers version against its pin', () => {
    expect(c.llamafactory).toEqual({ version: '0.9.6.dev0', commit: COMMIT });
    expect(c.transformers).toEqual({ version: '4.57.6', pin: '>=4.55.0,<=5.8.0,!=4.57.0,!=5.6.0', withinPin: true });
  });

  it('reads every field with its type, default, choices, help and the commands whose parser takes it', () => {
    // LLaMA-Factory's own dataclasses: Literal choices, Optional → nullable, defaults, help.
    expect(c.keys.stage).toMatchObject({ type: 'choice', choices: ['pt', 'sft', 'rm', 'ppo', 'dpo', 'kto'], default: 'sft', group: 'FinetuningArguments', origin: 'llamafactory' });
    expect(c.keys.stage!.commands).toEqual(['train', 'chat', 'api', 'export', 'eval', 'train:USE_MEGATRON_BRIDGE']);
    expect(c.keys.adapter_name_or_path).toMatchObject({ type: 'str', nullable: true, default: null, help: expect.stringMatching(/Use commas to separate multiple adapters/) });
    // Fields of LLaMA-Factory's TrainingArguments and its mixins: train only.
    expect(c.keys.ray_num_workers).toMatchObject({ type: 'int', default: 1, group: 'RayArguments', commands: ['train', 'train:USE_MEGATRON_BRIDGE'] });
    expect(c.keys.profiler_wait_steps).toMatchObject({ type: 'int', default: 1, group: 'ProfilerArguments' });
    // transformers' Seq2SeqTrainingArguments through LLaMA-Factory's subclass: enums become choices.
    expect(c.keys.learning_rate).toMatchObject({ type: 'float', default: 5e-5, group: 'TrainingArguments', origin: 'transformers', commands: ['train', 'train:USE_MEGATRON_BRIDGE'] });
    expect(c.keys.eval_strategy).toMatchObject({ type: 'choice', choices: ['no', 'steps', 'epoch'], default: 'no' });
    expect(c.keys.predict_with_generate).toMatchObject({ type: 'bool', default: false, group: 'Seq2SeqTrainingArguments' });
    expect(c.keys.warmup_ratio).toMatchObject({ type: 'float', default: 0 });
    // LLaMA-Factory's override of a transformers field wins (TrainingArguments.overwrite_output_dir, help "deprecated").
    expect(c.keys.overwrite_output_dir).toMatchObject({ group: 'TrainingArguments', origin: 'llamafactory', help: 'deprecated' });
    // Inference-only and Megatron-only fields.
    expect(c.keys.kt_config!.commands).toEqual(['chat', 'api', 'export', 'eval']);
    expect(c.keys.tensor_model_parallel_size!.commands).toEqual(['train:USE_MEGATRON_BRIDGE']);
    expect(c.keys.task).toMatchObject({ required: true, commands: ['eval'] });
    // init=False fields are not parser keys (ModelArguments.compute_dtype); non-field class constants neither.
    expect(c.keys.compute_dtype).toBeUndefined();
    expect(c.keys._KT_DERIVED_KEYS).toBeUndefined();
    // Choices computed at import time (transformers' log levels) leave the field its plain type, never a choice without choices.
    expect(c.keys.log_level).toMatchObject({ type: 'str', default: 'passive' });
    expect(Object.entries(c.keys).filter(([, s]) => s.type === 'choice' && !s.choices?.length)).toEqual([]);
    // Enums from a module outside the subset (extras/constants.py) degrade to any, they do not stop the generator.
    expect(c.keys.infer_backend).toMatchObject({ type: 'any' });
  });

  it('merges the removed/renamed table, and refuses one that names a key the checkout still has', () => {
    const withRemoved = parseCatalogue(generate([...subsetArgs(), '--removed', REMOVED]).out, 'output');
    expect(withRemoved.removed.dpo_beta).toMatchObject({ by: 'llamafactory', replacement: 'pref_beta', since: expect.stringMatching(/^b0d996666/) });
    expect(withRemoved.removed.ray_run_name).toMatchObject({ replacement: null, note: expect.stringMatching(/ray_num_workers/) });
    expect(withRemoved.removedValues.infer_backend!.ktransformers).toMatchObject({ replacement: 'huggingface' });
    const stale = join(mkdtempSync(join(tmpdir(), 'ty-removed-')), 'removed.json');
    writeFileSync(stale, JSON.stringify({ keys: { pref_beta: { by: 'llamafactory', replacement: 'dpo_beta', since: 'x', cite: 'y' } } }));
    const r = generate([...subsetArgs(), '--removed', stale]);
    expect(r.code).toBe(1);
    expect(r.err).toMatch(/lists keys this checkout still has: pref_beta/);
  });

  it('says what is wrong with a folder that is not a checkout', () => {
    const r = generate(['--llamafactory', tmpdir(), '--transformers', join(SUBSET, 'transformers')]);
    expect(r.code).toBe(1);
    expect(r.err).toMatch(/has no pyproject\.toml: not a LLaMA-Factory checkout/);
  });
});

describe('resources/llamafactory/keys.json', () => {
  const committed = readFileSync(resolve(repoRoot, 'resources/llamafactory/keys.json'), 'utf8');
  const c = parseCatalogue(committed, 'keys.json');
  const src = lfCheckout();
  const wheel = src.ok ? transformersWheel(c.transformers.version!) : src;
  const why = !src.ok ? src.why : !wheel.ok ? wheel.why : '';

  it.skipIf(!src.ok || !wheel.ok)(`is exactly what the generator makes from LLaMA-Factory ${c.llamafactory.commit?.slice(0, 7)} and transformers ${c.transformers.version}${why ? ` (skipped: ${why})` : ''}`, () => {
    const lb = join(mkdtempSync(join(tmpdir(), 'ty-lbtables-')), 'llamaboard.json');
    const root = (src as { value: string }).value;
    const r = generate(['--llamafactory', root, '--transformers', (wheel as { value: string }).value, '--commit', c.llamafactory.commit!, '--removed', REMOVED, '--llamaboard-out', lb]);
    expect(r.code, r.err).toBe(0);
    expect(r.out).toBe(committed);
    expect(readFileSync(lb, 'utf8')).toBe(readFileSync(resolve(repoRoot, 'resources/llamafactory/llamaboard.json'), 'utf8'));
    // The DeepSpeed files shipped for LlamaBoard forms are LLaMA-Factory's own, unchanged.
    for (const f of readdirSync(resolve(repoRoot, 'resources/llamafactory/deepspeed'))) {
      expect(readFileSync(resolve(repoRoot, 'resources/llamafactory/deepspeed', f), 'utf8'), f).toBe(readFileSync(join(root, 'examples', 'deepspeed', f), 'utf8'));
    }
  });

  it('names the transformers version inside LLaMA-Factory\'s pin and has every key of the issue', () => {
    expect(c.transformers.withinPin).toBe(true);
    for (const k of ['preserve_thinking', 'profiler_active_steps', 'master_addr', 'master_port', 'use_megatron_bridge', 'use_hyper_parallel', 'kt_weight_path']) expect(c.keys[k], k).toBeDefined();
    expect(c.keys.mix_strategy!.choices).toContain('interleave_once');
    for (const k of ['ray_run_name', 'kt_optimize_rule', 'dpo_beta', 'efficient_packing', 'image_resolution']) {
      expect(c.keys[k], k).toBeUndefined();
      expect(c.removed[k], k).toBeDefined();
    }
    expect(c.keys.infer_backend!.choices).toEqual(['huggingface', 'vllm', 'sglang']);
  });
});
