/** TensorBoard for runs: found in the trainer's environment (else the pip command), started on a free 127.0.0.1 port over the run's logging dir, refused for runs that do not report to it, stopped with the engine. */
import { spawnSync } from 'node:child_process';
import { mkdirSync, mkdtempSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { afterAll, describe, expect, it } from 'vitest';
import { findTensorBoard, runLogDir, TensorBoards } from '../../../src/core/runs/tensorboard.js';
import type { Run } from '../../../src/shared/types/run.js';
import { repoRoot } from '../../helpers/fixtures.js';

const fakeBin = join(repoRoot, 'test', 'fixtures', 'bin');
const root = mkdtempSync(join(tmpdir(), 'ty-tb-'));
const boards: TensorBoards[] = [];
afterAll(() => boards.forEach((b) => b.stopAll()));

function run(id: string, yaml: string): Run {
  const out = join(root, id);
  mkdirSync(join(out, 'runs', 'Dec02_10-00-00_host'), { recursive: true });
  writeFileSync(join(out, 'config.yaml'), yaml);
  return { id, name: id, kind: 'train', status: 'finished', outputDir: out, configPath: join(out, 'config.yaml'), workDir: root } as unknown as Run;
}

const answers = async (url: string) => {
  try {
    return await (await fetch(url)).text();
  } catch {
    return null;
  }
};

describe('TensorBoard', () => {
  it('says how to install it when the trainer has none', () => {
    const found = findTensorBoard('/nonexistent/venv/bin/llamafactory-cli', { PATH: '' });
    expect(found).toEqual({ missing: expect.stringContaining('pip install tensorboard') as string });
  });

  it('reads the logging dir from the config, else the output folder', () => {
    expect(runLogDir(run('a', 'report_to: tensorboard\nlogging_dir: tb\n'))).toBe(join(root, 'tb'));
    expect(runLogDir(run('b', 'report_to: tensorboard\n'))).toBe(join(root, 'b'));
  });

  it('starts one per set of runs on a free local port, refuses a run without report_to, and stops with the engine', async () => {
    const tbs = new TensorBoards({ ...process.env, PATH: `${fakeBin}:${process.env.PATH}` }, () => null);
    boards.push(tbs);
    const r = run('c', 'report_to: [tensorboard]\n');
    const info = await tbs.start([r]);
    expect(info.url).toMatch(/^http:\/\/127\.0\.0\.1:\d+\/$/);
    expect(await answers(info.url)).toContain(r.outputDir);
    // The same run again: the one already running.
    expect((await tbs.start([r])).url).toBe(info.url);
    // Compared runs: one TensorBoard naming each.
    const both = await tbs.start([r, run('d', 'report_to: all\n')]);
    expect(await answers(both.url)).toContain(`d:${join(root, 'd')}`);
    await expect(tbs.start([run('e', 'report_to: none\n')])).rejects.toThrow(/report_to: tensorboard/);
    tbs.stopAll();
    await expect.poll(() => answers(info.url), { timeout: 10_000 }).toBeNull();
  });

  const python = '/usr/bin/python3';
  const realSkip = spawnSync(python, ['-c', 'import tensorboard'], { timeout: 20_000 }).status === 0 ? null : `${python} has no tensorboard module (pip install tensorboard)`;
  it.skipIf(!!realSkip)(`starts the real TensorBoard of ${python}${realSkip ? ` (SKIPPED: ${realSkip})` : ''}`, async () => {
    const tbs = new TensorBoards({ ...process.env }, () => python);
    boards.push(tbs);
    const info = await tbs.start([run('real', 'report_to: tensorboard\n')]);
    expect(await answers(info.url)).toMatch(/tensorboard/i);
    tbs.stopAll();
  }, 120_000);
});
