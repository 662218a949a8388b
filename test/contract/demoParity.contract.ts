/**
 * Contract: the bundled demo trainer behaves like the real LLaMA-Factory. The same LF example config (with in-training
 * evaluation and a final do_eval) runs under both; their output files, trainer_log.jsonl lines (keys, steps, learning
 * rates) and console progress lines must match. Only the model and its data differ (the demo has its own).
 */
import { existsSync, readdirSync, readFileSync } from 'node:fs';
import { join } from 'node:path';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import type { Run } from '../../src/shared/types/run.js';
import { resourcesDir } from '../helpers/fixtures.js';
import { findLf, makeLfFolder, skipNote, startEngine, tinyExample, type Engine } from './lf.js';

const { lf, skip } = findLf();

/** Files that depend on the model's tokenizer (a byte tokenizer has no tokenizer.json) or on matplotlib (plot_loss). */
const MODEL_OR_PLOT = /^(tokenizer\.json|chat_template\.jinja|training_.*\.png)$/;

describe.skipIf(!lf)(`the demo trainer matches the real llamafactory-cli${skipNote(skip)}`, () => {
  let engine: Engine;
  let real: Run;
  let demo: Run;

  async function run(path: string): Promise<Run> {
    const { tasks } = await engine.call('tasks.import', { paths: [path] });
    expect(tasks[0]!.issues.filter((i) => i.severity === 'error')).toEqual([]);
    await engine.call('board.enqueue', { taskId: tasks[0]!.id, lane: 'auto' });
    const r = await engine.waitForEnd((await engine.waitForRun((x) => x.taskId === tasks[0]!.id, 'the run')).id);
    expect(r.status, r.failure?.message.text).toBe('finished');
    return r;
  }

  beforeAll(async () => {
    const lfDir = makeLfFolder(lf!);
    engine = await startEngine(lf!, lfDir);
    const same = { max_steps: 6, val_size: 4, do_eval: true, eval_strategy: 'steps', eval_steps: 3, per_device_eval_batch_size: 1, output_dir: 'saves/real' };
    real = await run(tinyExample(lf!, lfDir, 'train_lora/qwen3_lora_sft.yaml', 'real_sft', same));
    await engine.call('settings.update', { trainer: { kind: 'demo' } });
    demo = await run(
      tinyExample(lf!, lfDir, 'train_lora/qwen3_lora_sft.yaml', 'demo_sft', {
        ...same,
        model_name_or_path: join(resourcesDir, 'trainers/demo/base-model'),
        dataset: 'support_shop',
        dataset_dir: join(resourcesDir, 'examples/data'),
        template: 'demo',
        output_dir: 'saves/demo',
      }),
    );
  });
  afterAll(async () => {
    await engine?.close();
  });

  const files = (dir: string) => readdirSync(dir).filter((n) => !MODEL_OR_PLOT.test(n)).sort();
  const logLines = (r: Run) =>
    readFileSync(join(r.outputDir, 'trainer_log.jsonl'), 'utf8')
      .trim()
      .split('\n')
      .map((l) => JSON.parse(l) as Record<string, unknown>);

  it('writes the same files in output_dir and in each checkpoint', () => {
    expect(files(demo.outputDir)).toEqual(files(real.outputDir));
    const ckpts = readdirSync(real.outputDir).filter((n) => n.startsWith('checkpoint-'));
    expect(ckpts.length).toBeGreaterThan(0);
    for (const c of ckpts) {
      expect(existsSync(join(demo.outputDir, c)), c).toBe(true);
      expect(files(join(demo.outputDir, c))).toEqual(files(join(real.outputDir, c)));
    }
  });

  it('writes the same trainer_log.jsonl lines: keys, steps and learning rates (no line for the final evaluation)', () => {
    const [r, d] = [logLines(real), logLines(demo)];
    expect(d.map((l) => Object.keys(l))).toEqual(r.map((l) => Object.keys(l)));
    expect(d.map((l) => [l.current_steps, l.total_steps, l.percentage])).toEqual(r.map((l) => [l.current_steps, l.total_steps, l.percentage]));
    const lrs = (ls: Record<string, unknown>[]) => ls.filter((l) => 'lr' in l).map((l) => Number(l.lr).toPrecision(6));
    expect(lrs(d)).toEqual(lrs(r));
  });

  it('prints the same progress lines: tqdm bar, LlamaBoard loss line, metrics blocks', () => {
    // The pty writes CRLF line ends.
    const consoleOf = (r: Run) => readFileSync(join(r.runDir, 'console.log'), 'utf8').replace(/\r\n/g, '\n');
    const shapes: [string, RegExp][] = [
      ['tqdm bar', /\d+%\|[^|]*\| 6\/6 \[\d\d:\d\d<\d\d:\d\d, +[\d.]+(?:it\/s|s\/it)\]/],
      ['LlamaBoard loss line', /\] llamafactory\.train\.callbacks:144 >> \{'loss': \d+\.\d{4}, 'learning_rate': \d\.\d{4}e[+-]\d\d, 'epoch': \d+\.\d\d\}/],
      ['train metrics', /\*\*\*\*\* train metrics \*\*\*\*\*\n {2}epoch +=/],
      ['eval metrics', /\*\*\*\*\* eval metrics \*\*\*\*\*\n {2}epoch +=/],
    ];
    for (const [what, re] of shapes) {
      expect(consoleOf(real), `real: ${what}`).toMatch(re);
      expect(consoleOf(demo), `demo: ${what}`).toMatch(re);
    }
    const count = (s: string) => (s.match(/llamafactory\.train\.callbacks:144 >> \{'loss'/g) ?? []).length;
    expect(count(consoleOf(demo))).toBe(count(consoleOf(real)));
  });

  it('gives Trainyard the same curve points', async () => {
    // The loss and eval curves (trainer_log.jsonl). Grad-norm points come from the console dicts, whose step is
    // inferred from the progress bar and so depends on tqdm's timing: they are not part of this parity.
    const steps = async (r: Run) =>
      (await engine.call('runs.metrics', { id: r.id })).filter((p) => p.loss != null || p.evalLoss != null).map((p) => [p.step, p.loss != null, p.evalLoss != null]);
    expect(await steps(demo)).toEqual(await steps(real));
  });
});
