/** `trainyard validate`: JSON array per file, human output, exit codes 0/1/2 on real fixture configs. */
import { mkdirSync, mkdtempSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { describe, expect, it } from 'vitest';
import { runCli } from '../../src/cli/index.js';
import { fixture, resourcesDir } from '../helpers/fixtures.js';
import { lfVenv } from '../core/configs/lfSources.js';

async function cli(...argv: string[]) {
  let out = '';
  let err = '';
  const home = mkdtempSync(join(tmpdir(), 'ty-cli-'));
  const env = { HOME: home, HF_HUB_CACHE: join(home, 'hub'), TRAINYARD_RESOURCES_DIR: resourcesDir, TRAINYARD_DATA_DIR: join(home, 'data') };
  const code = await runCli(['validate', ...argv], { out: (t) => void (out += t), err: (t) => void (err += t), env });
  return { code, out, err };
}

/** A LLaMA-Factory checkout as a user has it (data/ with a registered dataset, examples/deepspeed) and a config for it kept elsewhere. */
function checkout() {
  const dir = mkdtempSync(join(tmpdir(), 'ty-cli-lf-'));
  const lf = join(dir, 'LLaMA-Factory');
  mkdirSync(join(lf, 'data'), { recursive: true });
  mkdirSync(join(lf, 'examples', 'deepspeed'), { recursive: true });
  mkdirSync(join(lf, 'examples', 'train_lora'), { recursive: true });
  writeFileSync(join(lf, 'data', 'dataset_info.json'), JSON.stringify({ identity: { file_name: 'identity.json' } }));
  writeFileSync(join(lf, 'data', 'identity.json'), '[]');
  writeFileSync(join(lf, 'examples', 'deepspeed', 'ds_z3_config.json'), '{"zero_optimization": {"stage": 3}}');
  const yaml = 'model_name_or_path: Qwen/Qwen2.5-0.5B\nstage: sft\ndo_train: true\ndataset: identity\ndeepspeed: examples/deepspeed/ds_z3_config.json\noutput_dir: saves/x\nwarmup_ratio: 0.1\n';
  writeFileSync(join(lf, 'examples', 'train_lora', 'mine.yaml'), yaml);
  mkdirSync(join(dir, 'elsewhere'));
  writeFileSync(join(dir, 'elsewhere', 'mine.yaml'), yaml);
  return { lf, inside: join(lf, 'examples', 'train_lora', 'mine.yaml'), outside: join(dir, 'elsewhere', 'mine.yaml') };
}

const cfg = (n: string) => fixture('real-world', 'configs', n);

describe('trainyard validate', () => {
  it('--json prints one object per file with errors and warnings (line, key) and exits 1 on errors', async () => {
    const ok = join(mkdtempSync(join(tmpdir(), 'ty-ok-')), 'infer.yaml');
    writeFileSync(ok, 'model_name_or_path: Qwen/Qwen2.5-7B-Instruct\ntemplate: qwen\n');
    const r = await cli('--json', cfg('1000111-1000111__llm-cybersecurity__llama3_full_sft.yaml'), ok);
    expect(r.code).toBe(1);
    const rep = JSON.parse(r.out) as { file: string; ok: boolean; errors: { message: string; line?: number; key?: string }[]; warnings: unknown[] }[];
    expect(rep).toHaveLength(2);
    expect(rep[0]!.ok).toBe(false);
    expect(rep[0]!.errors).toContainEqual({ message: expect.stringMatching(/Unknown key train_size.*Did you mean val_size/), line: 38, key: 'train_size' });
    expect(rep[1]).toEqual({ file: ok, ok: true, errors: [], warnings: [] });
  });
  it('prints a readable report with file:line', async () => {
    const r = await cli(cfg('1000111-1000111__llm-cybersecurity__llama3_qlora_eval.yaml'));
    expect(r.code).toBe(1);
    expect(r.out).toMatch(/FAIL .*llama3_qlora_eval\.yaml \(\d+ errors\)/);
    expect(r.out).toMatch(/warning .*llama3_qlora_eval\.yaml:21 {2}output_dir is the adapter's folder/);
    expect(r.out).toMatch(/1 file checked, 1 with errors\./);
  });
  it('exits 0 when every file is clean', async () => {
    const dir = mkdtempSync(join(tmpdir(), 'ty-ok-'));
    writeFileSync(join(dir, 'a.yaml'), 'model_name_or_path: Qwen/Qwen2.5-7B-Instruct\n');
    expect((await cli(join(dir, 'a.yaml'))).code).toBe(0);
  });
  it('exits 2 without files, and reports unreadable files as errors', async () => {
    const r = await cli();
    expect(r.code).toBe(2);
    expect(r.err).toMatch(/name at least one config file/);
    const missing = await cli('--json', '/nonexistent/x.yaml');
    expect(missing.code).toBe(1);
    expect(JSON.parse(missing.out)[0].errors[0].message).toMatch(/file not found/);
  });
  it('runs a config from the LLaMA-Factory checkout it sits in, or from --llamafactory-dir, as the app would', async () => {
    const c = checkout();
    expect(await cli('--json', c.inside).then((r) => JSON.parse(r.out)[0])).toMatchObject({ ok: true, errors: [] });
    const away = JSON.parse((await cli('--json', c.outside)).out)[0] as { ok: boolean; errors: { message: string }[] };
    expect(away.ok).toBe(false);
    expect(away.errors.map((e) => e.message).join('\n')).toMatch(/dataset_info\.json not found in .*elsewhere\/data/);
    expect(await cli('--json', '--llamafactory-dir', c.lf, c.outside).then((r) => JSON.parse(r.out)[0])).toMatchObject({ ok: true, errors: [] });
  });
  it('refuses a --trainer that is not a program', async () => {
    const r = await cli('--trainer', '/nonexistent/llamafactory-cli', fixture('real-world', 'configs', 'chandlerzuo__rlhf_recsys__rlhf_train.yaml'));
    expect(r.code).toBe(2);
    expect(r.err).toMatch(/--trainer \/nonexistent\/llamafactory-cli is not an executable llamafactory-cli/);
  });
  const venv = lfVenv();
  it.skipIf(!venv.ok)(`--trainer checks keys against the installed LLaMA-Factory: warmup_ratio stops transformers 5.18${venv.ok ? '' : ` (skipped: ${venv.why})`}`, async () => {
    const c = checkout();
    const r = await cli('--json', '--trainer', (venv as { value: { cli: string } }).value.cli, c.inside);
    expect(r.err).toBe(''); // no fallback to the bundled list
    expect(r.code).toBe(1);
    const rep = JSON.parse(r.out)[0] as { errors: { message: string; key?: string }[] };
    expect(rep.errors).toEqual([expect.objectContaining({ key: 'warmup_ratio', message: expect.stringMatching(/^Unknown key warmup_ratio: LLaMA-Factory stops with "Some keys are not used by the HfArgumentParser: \['warmup_ratio'\]"/) })]);
  }, 300_000);
});
