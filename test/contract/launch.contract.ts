/** Contract: launches that trip LLaMA-Factory up in a terminal work from Trainyard (paths with spaces under torchrun), and failures say why. */
import { afterEach, describe, expect, it } from 'vitest';
import { findLf, makeLfFolder, skipNote, startEngine, tinyExample, type Engine } from './lf.js';

const { lf, skip } = findLf();

describe.skipIf(!lf)(`launching the real llamafactory-cli${skipNote(skip)}`, () => {
  let engine: Engine | undefined;
  afterEach(async () => {
    await engine?.close();
    engine = undefined;
  });

  it('survives the torchrun re-launch with a data folder whose path has spaces', async () => {
    const lfDir = makeLfFolder(lf!);
    // FORCE_TORCHRUN makes LF re-launch itself as `torchrun … <config>` from a space-joined, re-split string
    // (launcher.py:60-131): a config path with a space arrived in pieces. One CPU worker stands in for the GPUs.
    engine = await startEngine(lf!, lfDir, { FORCE_TORCHRUN: '1', NPROC_PER_NODE: '1' }, 'ty contract data ');
    const path = tinyExample(lf!, lfDir, 'train_lora/qwen3_lora_sft.yaml', 'sft_torchrun', { max_steps: 2, output_dir: 'saves/torchrun' });
    const { tasks } = await engine.call('tasks.import', { paths: [path] });
    await engine.call('board.enqueue', { taskId: tasks[0]!.id, lane: 'auto' });
    const run = await engine.waitForEnd((await engine.waitForRun((r) => r.taskId === tasks[0]!.id, 'the run')).id);
    expect(run.configPath).toContain(' ');
    expect(run.argv.some((a) => /\s/.test(a))).toBe(false);
    expect(run.status, run.failure?.message.text).toBe('finished');
    // It really went through torchrun: LF's launcher says so, and the workers found torchrun of the CLI's own venv.
    expect((await engine.call('runs.searchLog', { id: run.id, query: 'Initializing 1 distributed tasks' })).length).toBeGreaterThan(0);
  });

  it("names why a run failed in LLaMA-Factory's own words (bf16 asked of a CPU)", async () => {
    const lfDir = makeLfFolder(lf!);
    engine = await startEngine(lf!, lfDir);
    const path = tinyExample(lf!, lfDir, 'train_lora/qwen3_lora_sft.yaml', 'sft_bf16', { bf16: true, output_dir: 'saves/bf16' });
    const { tasks } = await engine.call('tasks.import', { paths: [path] });
    expect(tasks[0]!.ok).toBe(true);
    await engine.call('board.enqueue', { taskId: tasks[0]!.id, lane: 'auto' });
    const run = await engine.waitForEnd((await engine.waitForRun((r) => r.taskId === tasks[0]!.id, 'the run')).id);
    expect(run.status).toBe('failed');
    expect(run.failure).toMatchObject({ kind: 'config' });
    expect(run.failure!.message.text).toContain("Your setup doesn't support bf16/gpu");
    expect(run.failure!.suggestion.text).toContain('bf16: false');
  });
});
