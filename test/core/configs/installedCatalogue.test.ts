/**
 * Validation against the LLaMA-Factory really installed (the venv of ../shared/llamafactory/setup.sh, transformers 5.18):
 * its keys are read off the event loop and cached; they agree with the source generator; warmup_ratio is refused with
 * the very words LLaMA-Factory prints.
 */
import { spawnSync } from 'node:child_process';
import { mkdtempSync, readdirSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { describe, expect, it } from 'vitest';
import { parseCatalogue } from '../../../src/core/configs/catalogue.js';
import { unusedKeysMessage } from '../../../src/core/configs/checkKeys.js';
import { createCatalogueSource, type CatalogueState } from '../../../src/core/configs/installedCatalogue.js';
import { sitePackagesOf } from '../../../src/core/configs/lfInstall.js';
import { validateConfig } from '../../../src/core/configs/validateConfig.js';
import { defaultSettings, type Settings } from '../../../src/shared/types/settings.js';
import { resourcesDir } from '../../helpers/fixtures.js';
import { isolatedFs } from './helpers.js';
import { generate, lfVenv } from './lfSources.js';

const venv = lfVenv();
const skip = venv.ok ? '' : ` (skipped: ${venv.why})`;

describe.skipIf(!venv.ok)(`the installed LLaMA-Factory's own keys${skip}`, () => {
  const v = venv.ok ? venv.value : { root: '', python: '', cli: '' };
  const settings: Settings = { ...defaultSettings, trainer: { ...defaultSettings.trainer, kind: 'llamafactory', llamafactoryCli: v.cli } };
  const cacheDir = mkdtempSync(join(tmpdir(), 'ty-lfkeys-'));
  const source = (onChange = () => {}) => createCatalogueSource({ resourcesDir, cacheDir, settings: () => settings, env: process.env, onChange });
  const fs = isolatedFs();
  const yaml = 'model_name_or_path: Qwen/Qwen2.5-0.5B\nstage: sft\ndo_train: true\ndataset: identity\noutput_dir: o\nwarmup_ratio: 0.1\nlerning_rate: 1.0e-4\n';
  let installed: CatalogueState;

  it('answers with the bundled list at once, then with the installed one, and calls back', async () => {
    let changes = 0;
    const s = source(() => changes++);
    const first = s.current();
    expect(first).toMatchObject({ status: 'reading', certainty: 'bundled', python: join(v.root, 'bin', 'python3') });
    expect(first.catalogue.keys.warmup_ratio).toBeDefined();
    installed = await s.settled();
    expect(installed).toMatchObject({ status: 'installed', certainty: 'installed', info: { origin: 'installed', llamafactory: '0.9.6.dev0', transformers: '5.18.0' } });
    expect(changes).toBe(1);
    // transformers >= 5.2 has no warmup_ratio; the history tables come from the bundled list.
    expect(installed.catalogue.keys.warmup_ratio).toBeUndefined();
    expect(installed.catalogue.removed.warmup_ratio).toMatchObject({ replacement: 'warmup_steps' });
  }, 300_000);

  it('is cached per version: a new engine has it without asking Python again', () => {
    const again = source().current();
    expect(again.status).toBe('installed');
    expect(again.catalogue.keys).toEqual(installed.catalogue.keys);
    expect(readdirSync(cacheDir).filter((f) => f.endsWith('.json'))).toHaveLength(1);
  });

  it('refuses warmup_ratio before the run with LLaMA-Factory\'s words and the replacement; the bundled list accepts it', () => {
    const issues = validateConfig(yaml, { workDir: fs.tmp, catalogue: installed.catalogue, certainty: 'installed', fs });
    const warmup = issues.find((i) => i.key === 'warmup_ratio');
    expect(warmup).toMatchObject({ severity: 'error', line: 6, suggestion: 'warmup_steps' });
    expect(warmup!.message).toContain(`LLaMA-Factory stops with "${unusedKeysMessage(['warmup_ratio', 'lerning_rate'])}"`);
    expect(warmup!.message).toMatch(/transformers 5\.2 replaced warmup_ratio with warmup_steps \(huggingface\/transformers#41326\): a float below 1 in warmup_steps is a ratio/);
    const bundled = validateConfig(yaml, { workDir: fs.tmp, catalogue: source().bundled(), certainty: 'bundled', fs });
    expect(bundled.find((i) => i.key === 'warmup_ratio')).toBeUndefined();
  });

  it('words unknown keys exactly as LLaMA-Factory does (same text as its ValueError)', () => {
    const script = [
      'import os, sys',
      'from llamafactory.hparams.parser import HfArgumentParser, _TRAIN_ARGS',
      'try:',
      `    HfArgumentParser(_TRAIN_ARGS).parse_dict({"model_name_or_path": "x", "output_dir": sys.argv[1], "warmup_ratio": 0.1, "lerning_rate": 1e-4})`,
      'except ValueError as e:',
      '    print(e)',
    ].join('\n');
    const r = spawnSync(v.python, ['-c', script, fs.tmp], { encoding: 'utf8', timeout: 180_000, env: { ...process.env, DISABLE_VERSION_CHECK: '1' } });
    expect(r.stdout.trim().split('\n').at(-1)).toBe(unusedKeysMessage(['warmup_ratio', 'lerning_rate']));
  }, 200_000);

  it('agrees with the source generator run over the same checkout and transformers, where the source can tell', () => {
    const tf = sitePackagesOf(join(v.root, 'bin', 'python3')).find((sp) => readdirSync(sp).includes('transformers'))!;
    const r = generate(['--llamafactory', join(v.root, 'llamafactory'), '--transformers', tf]);
    expect(r.code, r.err).toBe(0);
    const fromSource = parseCatalogue(r.out, 'generator').keys;
    const live = installed.catalogue.keys;
    expect(Object.keys(fromSource).sort()).toEqual(Object.keys(live).sort());
    const differ: string[] = [];
    for (const [k, spec] of Object.entries(live) as unknown as [string, Record<string, unknown>][]) {
      const { source: _s, ...fromSrc } = fromSource[k]! as unknown as Record<string, unknown>;
      for (const f of new Set([...Object.keys(spec), ...Object.keys(fromSrc)])) {
        if (JSON.stringify(spec[f]) !== JSON.stringify(fromSrc[f])) differ.push(`${k}.${f}`);
      }
    }
    // Only what is computed at import time differs: datasets' DownloadMode (outside the sources), log level names built
    // from transformers.utils.logging, and the optimizer default that depends on the installed torch.
    expect(differ.sort()).toEqual(['download_mode.choices', 'download_mode.default', 'download_mode.type', 'log_level.choices', 'log_level.type', 'log_level_replica.choices', 'log_level_replica.type', 'optim.default']);
  });
});
