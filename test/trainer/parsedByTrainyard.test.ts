/** The demo trainer's outputs go through the same parsers as real LLaMA-Factory runs (trainer_log.jsonl, console, results). */
import { mkdtempSync, readFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { beforeAll, describe, expect, it } from 'vitest';
import { summarizeBuffer, summarizePath } from '../../src/core/metrics/summary.js';
import { fixture } from '../helpers/fixtures.js';
import { runToEnd } from './trainerProcess.js';

const out = join(mkdtempSync(join(tmpdir(), 'trainyard-parse-demo-')), 'support');
let consoleText = '';

beforeAll(async () => {
  const r = await runToEnd([
    'train',
    'support-lora.yaml',
    `output_dir=${out}`,
    'max_steps=8',
    'logging_steps=2',
    'save_steps=4',
    'val_size=0.1',
    'eval_strategy=steps',
    'eval_steps=4',
    'include_num_input_tokens_seen=true',
  ]);
  expect(r.code, r.out.slice(-2000)).toBe(0);
  consoleText = r.out;
}, 180_000);

describe('demo trainer output through Trainyard parsers', () => {
  it('reads its trainer_log.jsonl like a real one: every logged step, eval loss, tokens', () => {
    const lines = readFileSync(join(out, 'trainer_log.jsonl'), 'utf8').trim().split('\n').map((l) => JSON.parse(l) as Record<string, unknown>);
    const s = summarizePath(out);
    expect(s.format).toBe('trainer_log');
    expect(s.warnings).toEqual([]);
    expect(s.totalSteps).toBe(8);
    expect(s.lastStep).toBe(8);
    expect(s.segments).toBe(1);
    expect(s.points.filter((p) => p.loss != null).map((p) => p.step)).toEqual(lines.filter((l) => 'loss' in l).map((l) => l.current_steps));
    expect(s.lastEvalLoss).toBe(lines.filter((l) => 'eval_loss' in l).at(-1)!.eval_loss);
    expect(s.finalLoss).toBeGreaterThan(0);
    expect(s.elapsedSeconds).not.toBeNull();
  });

  it('parses its console output (HF dicts and tqdm) to the same losses as its trainer_log', () => {
    const fromLog = summarizePath(out).points.filter((p) => p.loss != null).map((p) => [p.step, p.loss]);
    const fromConsole = summarizeBuffer(Buffer.from(consoleText), 'console', 'console').points.filter((p) => p.loss != null);
    expect(fromConsole.map((p) => p.loss)).toEqual(fromLog.map(([, l]) => l));
  });

  it('reads a real LLaMA-Factory trainer_log with the same function', () => {
    const real = summarizePath(fixture('real-world', 'trainer_log', 'heymimihere__my_work__sft__trainer_log.jsonl'));
    expect(real.format).toBe('trainer_log');
    expect(real.points.length).toBeGreaterThan(0);
  });
});
