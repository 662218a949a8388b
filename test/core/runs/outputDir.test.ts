/** The output_dir rule: the config's folder is kept; only a folder another run writes (or wrote) gets a distinct -N. */
import { existsSync, mkdirSync, readFileSync, writeFileSync } from 'node:fs';
import { join } from 'node:path';
import { afterAll, describe, expect, it } from 'vitest';
import { chooseOutputDir, hasRunOutputs, prepareConfig } from '../../../src/core/runs/prepareLaunch.js';
import { createRunsDomain } from '../../../src/core/runs/runsDomain.js';
import { commandFor, killRuns, makeCtx, spec, tempDataDir } from './helpers.js';

const dataDir = tempDataDir();

async function until(cond: () => boolean): Promise<void> {
  for (let i = 0; i < 1000 && !cond(); i++) await new Promise((r) => setTimeout(r, 20));
  expect(cond()).toBe(true);
}

describe('chooseOutputDir', () => {
  const work = join(dataDir, 'LLaMA-Factory');

  it('keeps the config folder, resolved against the working folder as LLaMA-Factory does', () => {
    expect(chooseOutputDir('saves/qwen3/lora/sft', work, new Set())).toEqual({
      path: join(work, 'saves/qwen3/lora/sft'),
      configured: join(work, 'saves/qwen3/lora/sft'),
      reason: 'config',
    });
    expect(chooseOutputDir('/abs/out/', work, new Set()).path).toBe('/abs/out');
  });

  it('has no folder to plan when the config has no output_dir', () => {
    expect(chooseOutputDir(undefined, work, new Set())).toEqual({ path: null, configured: null, reason: 'default' });
    expect(chooseOutputDir('  ', work, new Set()).reason).toBe('default');
  });

  it('gives a run a distinct <output_dir>-N when the folder is claimed or holds a finished run', () => {
    const base = join(work, 'saves/x');
    expect(chooseOutputDir('saves/x', work, new Set([base]))).toEqual({ path: `${base}-2`, configured: base, reason: 'shared' });
    expect(chooseOutputDir('saves/x', work, new Set([base, `${base}-2`])).path).toBe(`${base}-3`);
    const used = (d: string) => d === base || d === `${base}-2`;
    expect(chooseOutputDir('saves/x', work, new Set(), used)).toEqual({ path: `${base}-3`, configured: base, reason: 'used' });
  });

  it("never writes into Trainyard's own resources (the bundled examples' relative output_dir)", () => {
    const app = join(dataDir, 'app', 'resources');
    expect(chooseOutputDir('saves/demo', join(app, 'examples'), new Set(), () => false, [app])).toEqual({
      path: null,
      configured: join(app, 'examples', 'saves/demo'),
      reason: 'default',
    });
    expect(chooseOutputDir('saves/demo', work, new Set(), () => false, [app]).path).toBe(join(work, 'saves/demo'));
  });

  it('counts checkpoints, final weights and logs as a finished run, not an empty or unrelated folder', () => {
    const d = join(dataDir, 'outs');
    mkdirSync(join(d, 'empty'), { recursive: true });
    expect(hasRunOutputs(join(d, 'empty'))).toBe(false);
    expect(hasRunOutputs(join(d, 'missing'))).toBe(false);
    mkdirSync(join(d, 'notes'));
    writeFileSync(join(d, 'notes', 'README.txt'), 'mine');
    expect(hasRunOutputs(join(d, 'notes'))).toBe(false);
    mkdirSync(join(d, 'ckpt', 'checkpoint-500'), { recursive: true });
    expect(hasRunOutputs(join(d, 'ckpt'))).toBe(true);
    mkdirSync(join(d, 'lora'));
    writeFileSync(join(d, 'lora', 'adapter_model.safetensors'), '');
    expect(hasRunOutputs(join(d, 'lora'))).toBe(true);
    mkdirSync(join(d, 'log'));
    writeFileSync(join(d, 'log', 'trainer_log.jsonl'), '');
    expect(hasRunOutputs(join(d, 'log'))).toBe(true);
  });
});

describe('prepareConfig', () => {
  it('writes the kept folder into the config copy; a pinned folder wins; no output_dir gets one under the data dir', () => {
    const s = spec('My run', '# keep me\noutput_dir: saves/a # mine\nlearning_rate: 1.0e-4\n', '/work/lf');
    const kept = prepareConfig(s, 'run_1', '/data/outputs');
    expect(kept.outputDir).toBe('/work/lf/saves/a');
    expect(kept.yaml).toContain('# keep me');
    expect(kept.yaml).toMatch(/^output_dir: \/work\/lf\/saves\/a/m);
    expect(prepareConfig({ ...s, outputDir: '/pinned' }, 'run_1', '/data/outputs').outputDir).toBe('/pinned');
    expect(prepareConfig(s, 'run_1', '/data/outputs', new Set(['/work/lf/saves/a'])).outputDir).toBe('/work/lf/saves/a-2');
    const none = prepareConfig(spec('My run', 'learning_rate: 1.0e-4\n', '/work/lf'), 'run_1', '/data/outputs');
    expect(none.outputDir).toBe('/data/outputs/My-run-run_1');
  });
});

describe('launch keeps the user output_dir', () => {
  const ctx = makeCtx(dataDir);
  const runs = createRunsDomain(ctx, { commandFor, metricsPollMs: 100, stopGraceMs: 2000, killAfterMs: 1000 });
  const sup = runs.supervisor;
  afterAll(() => {
    killRuns(sup);
    sup.shutdown();
    ctx.db.close();
  });

  it('writes where the config says; a second run while it runs, and a re-run after it, get their own folders', async () => {
    const work = join(dataDir, 'work');
    mkdirSync(work, { recursive: true });
    const yaml = 'lines: 300\nevery: 5\nsleep_ms: 20\noutput_dir: saves/task1\n';
    const a = await sup.launch(spec('a', yaml, work));
    expect(a.outputDir).toBe(join(work, 'saves/task1'));
    expect(readFileSync(a.configPath, 'utf8')).toContain(`output_dir: ${join(work, 'saves/task1')}`);
    const b = await sup.launch(spec('b', yaml, work));
    expect(b.outputDir).toBe(join(work, 'saves/task1-2'));
    // Both have logged once (so both folders hold a run's results) before they are stopped.
    for (const dir of ['saves/task1', 'saves/task1-2']) await until(() => existsSync(join(work, dir, 'trainer_log.jsonl')));
    await Promise.all([sup.stop(a.id), sup.stop(b.id)]);
    await sup.waitForEnd(a.id, 20_000);
    await sup.waitForEnd(b.id, 20_000);
    const rerun = await sup.launch(spec('a again', 'lines: 5\nevery: 5\noutput_dir: saves/task1\n', work));
    expect(rerun.outputDir).toBe(join(work, 'saves/task1-3'));
    expect((await sup.waitForEnd(rerun.id, 20_000)).status).toBe('finished');
  });
});
