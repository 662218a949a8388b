/** `trainyard validate`: JSON array per file, human output, exit codes 0/1/2 on real fixture configs. */
import { mkdtempSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { describe, expect, it } from 'vitest';
import { runCli } from '../../src/cli/index.js';
import { fixture, resourcesDir } from '../helpers/fixtures.js';

async function cli(...argv: string[]) {
  let out = '';
  let err = '';
  const home = mkdtempSync(join(tmpdir(), 'ty-cli-'));
  const code = await runCli(['validate', ...argv], { out: (t) => void (out += t), err: (t) => void (err += t), env: { HOME: home, HF_HUB_CACHE: join(home, 'hub'), TRAINYARD_RESOURCES_DIR: resourcesDir } });
  return { code, out, err };
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
});
