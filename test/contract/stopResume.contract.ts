/** Contract: Stop ends a real LLaMA-Factory run with its own final save (SIGABRT handler); resume continues from the checkpoint. */
import { existsSync, readdirSync, readFileSync } from 'node:fs';
import { join } from 'node:path';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import type { Run } from '../../src/shared/types/run.js';
import { findLf, makeLfFolder, skipNote, startEngine, tinyExample, type Engine } from './lf.js';

const { lf, skip } = findLf();
const MAX_STEPS = 150;

describe.skipIf(!lf)(`stop and resume with the real llamafactory-cli${skipNote(skip)}`, () => {
  let engine: Engine;
  let lfDir: string;
  let stopped: Run;

  beforeAll(async () => {
    lfDir = makeLfFolder(lf!);
    engine = await startEngine(lf!, lfDir);
  });
  afterAll(async () => {
    await engine?.close();
  });

  const checkpoints = (dir: string) =>
    (existsSync(dir) ? readdirSync(dir) : []).filter((n) => /^checkpoint-\d+$/.test(n)).map((n) => Number(n.slice(11))).sort((a, b) => a - b);
  const logSteps = (dir: string) =>
    readFileSync(join(dir, 'trainer_log.jsonl'), 'utf8')
      .trim()
      .split('\n')
      .map((l) => JSON.parse(l) as { current_steps: number; loss?: number })
      .filter((r) => r.loss !== undefined)
      .map((r) => r.current_steps);

  it('stop: LLaMA-Factory stops at the next step, saves the adapter and its state, and the run is "stopped"', async () => {
    const path = tinyExample(lf!, lfDir, 'train_lora/qwen3_lora_sft.yaml', 'long_sft', { max_steps: MAX_STEPS, save_steps: 5, output_dir: 'saves/long' });
    const { tasks } = await engine.call('tasks.import', { paths: [path] });
    await engine.call('board.enqueue', { taskId: tasks[0]!.id, lane: 'auto' });
    const run = await engine.waitForRun((r) => r.taskId === tasks[0]!.id, 'the run');
    // Stop once it has saved a checkpoint (something to resume from), as a user would mid-run.
    const end = Date.now() + 300_000;
    while (checkpoints(run.outputDir).length === 0 && Date.now() < end) await new Promise((r) => setTimeout(r, 200));
    expect(checkpoints(run.outputDir).length).toBeGreaterThan(0);
    await engine.call('runs.stop', { id: run.id });
    stopped = await engine.waitForEnd(run.id);
    expect(stopped.status).toBe('stopped');
    expect(stopped.exitCode).toBe(0);
    const state = JSON.parse(readFileSync(join(run.outputDir, 'trainer_state.json'), 'utf8')) as { global_step: number };
    expect(state.global_step).toBeGreaterThanOrEqual(5);
    expect(state.global_step).toBeLessThan(MAX_STEPS);
    // The final save LF's workflow makes after training stops (train/sft/workflow.py), not only a checkpoint.
    for (const f of ['adapter_model.safetensors', 'train_results.json']) expect(existsSync(join(run.outputDir, f)), f).toBe(true);
    const hits = await engine.call('runs.searchLog', { id: run.id, query: `Saving model checkpoint to ${run.outputDir}` });
    expect(hits.some((h) => h.text.trimEnd().endsWith(run.outputDir))).toBe(true);
  });

  it('resume: continues from the newest checkpoint in the same folder and trains to the end', async () => {
    const ckpt = checkpoints(stopped.outputDir).at(-1)!;
    const resumed = await engine.call('runs.restart', { id: stopped.id, resume: true });
    expect(resumed.outputDir).toBe(stopped.outputDir);
    expect((await engine.call('runs.config', { id: resumed.id })).yaml).toContain(`resume_from_checkpoint: ${join(stopped.outputDir, `checkpoint-${ckpt}`)}`);
    const ended = await engine.waitForEnd(resumed.id);
    expect(ended.status, ended.failure?.message.text).toBe('finished');
    // LF continued from the checkpoint: with overwrite_output_dir: true (LF's example) its LogCallback started a fresh
    // trainer_log.jsonl (train/callbacks.py:228-236) whose first step is the one after the checkpoint.
    const log = logSteps(stopped.outputDir);
    expect(log[0]).toBe(ckpt + 1);
    expect(log.at(-1)).toBe(MAX_STEPS);
    // Trainyard's curve of the resumed run ends with exactly those points (before them: what it read of the earlier
    // file before LF replaced it).
    const steps = (await engine.call('runs.metrics', { id: resumed.id })).filter((p) => p.loss != null).map((p) => p.step);
    expect(steps.slice(-log.length)).toEqual(log);
  });
});
