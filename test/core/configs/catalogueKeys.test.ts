/** Every key of the bundled catalogue is accepted where LLaMA-Factory accepts it; every removed key is reported with its replacement. */
import { mkdirSync, writeFileSync } from 'node:fs';
import { join } from 'node:path';
import { stringify } from 'yaml';
import { describe, expect, it } from 'vitest';
import type { KeySpec } from '../../../src/core/configs/catalogue.js';
import { validateConfig } from '../../../src/core/configs/validateConfig.js';
import { catalogue, isolatedFs } from './helpers.js';

const fs = isolatedFs();
mkdirSync(join(fs.tmp, 'data'));
writeFileSync(join(fs.tmp, 'data', 'dataset_info.json'), JSON.stringify({ identity: { file_name: 'identity.json' } }));
writeFileSync(join(fs.tmp, 'data', 'identity.json'), '[]');
const TRAIN = { model_name_or_path: 'Qwen/Qwen2.5-0.5B', stage: 'sft', do_train: true, dataset: 'identity', output_dir: 'out' };
const INFER = { model_name_or_path: 'Qwen/Qwen2.5-0.5B', template: 'qwen' };

/** A value of the key's own type: its default when it has one. */
function sample(spec: KeySpec): unknown {
  if (spec.default !== undefined && spec.default !== null) return spec.default;
  if (spec.nullable) return null;
  switch (spec.type) {
    case 'bool':
      return false;
    case 'int':
      return 1;
    case 'float':
    case 'int_or_float':
      return 0.5;
    case 'choice':
      return spec.choices![0];
    case 'dict':
      return {};
    case 'list':
      return [];
    default:
      return 'x';
  }
}

const keyIssues = (config: Record<string, unknown>, key: string) =>
  validateConfig(stringify(config), { workDir: fs.tmp, catalogue, fs }).filter((i) => i.key === key && i.severity !== 'info');

describe('the bundled key catalogue in validation', () => {
  it('accepts every key of llamafactory-cli train in a training config, and every key of chat/api in an inference config', () => {
    // Any error on the key counts, whatever its wording: a new message must not let a refused key slip through.
    const errors = (config: Record<string, unknown>, k: string) => keyIssues(config, k).filter((i) => i.severity === 'error');
    const refused: string[] = [];
    for (const [k, spec] of Object.entries(catalogue.keys)) {
      if (k in TRAIN) continue;
      if (spec.commands.includes('train')) refused.push(...errors({ ...TRAIN, [k]: sample(spec) }, k).map((i) => `train:${k}: ${i.message}`));
      if (spec.commands.includes('api') && !(k in INFER)) refused.push(...errors({ ...INFER, [k]: sample(spec) }, k).map((i) => `api:${k}: ${i.message}`));
    }
    expect(refused).toEqual([]);
    expect(Object.keys(catalogue.keys).length).toBeGreaterThan(380);
  });

  it('reports every removed key with what replaced it (or that nothing did), citing where it was removed', () => {
    const missing: string[] = [];
    for (const [k, r] of Object.entries(catalogue.removed)) {
      if (catalogue.keys[k]?.commands.includes('train')) continue; // removed elsewhere, still a field of the pinned version
      const issue = keyIssues({ ...TRAIN, [k]: 1 }, k)[0];
      const ok = issue && issue.message.includes(r.since) && (r.replacement ? issue.suggestion === r.replacement && issue.message.includes(`with ${r.replacement}`) : issue.message.includes(`removed ${k}`));
      if (!ok) missing.push(`${k}: ${issue?.message ?? 'no issue'}`);
    }
    expect(missing).toEqual([]);
    expect(Object.keys(catalogue.removed).length).toBeGreaterThan(70);
  });
});
