/** The `trainyard` command through the compiled entry: help, usage errors and exit codes. */
import { spawnSync } from 'node:child_process';
import { join } from 'node:path';
import { describe, expect, it } from 'vitest';
import { runCli } from '../../src/cli/index.js';
import { repoRoot } from '../helpers/fixtures.js';

async function cli(args: string[]) {
  let out = '';
  let err = '';
  const code = await runCli(args, { out: (t) => (out += t), err: (t) => (err += t), env: process.env });
  return { code, out, err };
}

describe('trainyard CLI', () => {
  it('prints usage for --help and for each command', async () => {
    const top = await cli(['--help']);
    expect(top.code).toBe(0);
    expect(top.out).toMatch(/Usage: trainyard <command>/);
    for (const c of ['serve', 'gpus', 'validate', 'inspect']) {
      const r = await cli([c, '--help']);
      expect(r.code, c).toBe(0);
      expect(r.out, c).toMatch(new RegExp(`Usage: trainyard ${c}`));
    }
  });

  it('exits 2 with a message on an unknown command or option', async () => {
    const r = await cli(['frobnicate']);
    expect(r.code).toBe(2);
    expect(r.err).toMatch(/unknown command "frobnicate"/);
    const o = await cli(['serve', '--prot', '1']);
    expect(o.code).toBe(2);
    expect(o.err).toMatch(/Unknown option --prot/);
    expect((await cli(['serve', '--port', 'abc'])).code).toBe(2);
  });

  it('runs as `node bin/trainyard.js` (what npx trainyard calls)', () => {
    const r = spawnSync(process.execPath, [join(repoRoot, 'bin', 'trainyard.js'), 'nope'], { encoding: 'utf8' });
    expect(r.status).toBe(2);
    const h = spawnSync(process.execPath, [join(repoRoot, 'bin', 'trainyard.js'), 'serve', '--help'], { encoding: 'utf8' });
    expect(h.status).toBe(0);
    expect(h.stdout).toMatch(/--host H/);
  });
});
