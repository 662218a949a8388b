/** Every real recorded metrics file goes through the same parser path (summarizePath) with the values the files hold. */
import { readdirSync, readFileSync } from 'node:fs';
import { describe, expect, it } from 'vitest';
import { summarizePath } from '../../../src/core/metrics/summary.js';
import { fixture } from '../../helpers/fixtures.js';

const dir = (d: string) => readdirSync(fixture(d)).map((f) => fixture(d, f));
const trainerLogs = dir('real-world/trainer_log');
const hfLogs = dir('real-world/hf-logs');
const states = dir('real-world/results').filter((f) => f.endsWith('trainer_state.json'));
const hf517 = fixture('trainer-output/hf-transformers-5.17');
const byName = (files: string[], part: string) => files.find((f) => f.includes(part))!;

describe('every real file parses without throwing', () => {
  it.each([...trainerLogs, ...hfLogs, ...states, `${hf517}/trainer-plain.txt`, `${hf517}/trainer-pty.raw`, `${hf517}/trainer_state.json`])('%s', (file) => {
    const s = summarizePath(file);
    expect(Array.isArray(s.points)).toBe(true);
    if (!file.includes('Observer-18')) expect(s.points.length).toBeGreaterThan(0);
  });
});

describe('trainer_log.jsonl (one point per line, values as written)', () => {
  it.each(trainerLogs.filter((f) => !f.includes('Observer-18')))('%s', (file) => {
    const lines = readFileSync(file, 'utf8').split('\n').filter((l) => l.trim()).map((l) => JSON.parse(l) as Record<string, unknown>);
    const s = summarizePath(file);
    expect(s.points.length).toBe(lines.length);
    expect(s.points.map((p) => p.loss ?? null)).toEqual(lines.map((l) => (l.loss as number | undefined) ?? null));
    const lr = (l: Record<string, unknown>) => (l.lr ?? l.learning_rate ?? null) as number | null;
    expect(s.points.map((p) => p.lr ?? null)).toEqual(lines.map(lr));
    expect(s.segments).toBe(1);
    expect(s.warnings).toEqual([]);
  });

  it('reads the old null-padded format with learning_rate and multi-day elapsed times', () => {
    const s = summarizePath(byName(trainerLogs, 'suzushi-tw'));
    expect(s.totalSteps).toBe(8712);
    expect(s.lastStep).toBe(8712);
    expect(s.elapsedSeconds).toBe(4 * 86400 + 7 * 3600 + 19 * 60 + 52);
    expect(s.finalLoss).toBe(1.3703);
  });

  it('keeps numeric throughput and total_tokens, and the duplicated final step', () => {
    const s = summarizePath(byName(trainerLogs, 'FinQuant'));
    const last = s.points.at(-1)!;
    expect(last.totalTokens).toBe(20164912);
    expect(last.throughput).toBe(2035.9);
    expect(s.points.filter((p) => p.step === 2535)).toHaveLength(2);
  });

  it('puts a post-training eval (300/300 after 1011/1011) at the last training step, not in a new segment', () => {
    const s = summarizePath(byName(trainerLogs, 'heymimihere'));
    const last = s.points.at(-1)!;
    expect(last.step).toBe(1011);
    expect(last.evalLoss).toBeCloseTo(1.044925332069397);
    expect(last.extra?.eval_step).toBe(300);
    expect(s.totalSteps).toBe(1011);
  });

  it('reads DPO/ORPO accuracy and learning_rate keys', () => {
    const s = summarizePath(byName(trainerLogs, 'chandlerzuo'));
    expect(s.points[0]!.extra?.accuracy).toBeCloseTo(0.4625);
    expect(s.points[0]!.lr).toBeCloseTo(1.4705882352941177e-6);
  });

  it('turns a Git LFS pointer into a warning', () => {
    const s = summarizePath(byName(trainerLogs, 'Observer-18'));
    expect(s.points).toEqual([]);
    expect(s.warnings.join(' ')).toMatch(/Git LFS pointer/);
  });

  it('a predict-only log has progress points without loss', () => {
    const s = summarizePath(byName(trainerLogs, 'AnthonyTang7'));
    expect(s.lastStep).toBe(510);
    expect(s.totalSteps).toBe(512);
    expect(s.finalLoss).toBeNull();
  });
});

describe('console logs and trainer_state.json', () => {
  it('trainer_state.json log_history matches trainer_log.jsonl of the same run', () => {
    const fromLog = summarizePath(byName(trainerLogs, 'agosalvez'));
    const fromState = summarizePath(byName(states, 'agosalvez'));
    const train = (s: typeof fromLog) => s.points.filter((p) => p.loss != null).map((p) => [p.step, p.loss]);
    expect(train(fromState)).toEqual(train(fromLog));
  });

  it('transformers 5.x quoted values in a pty capture (CRLF) match the run\'s trainer_state.json to 4 digits', () => {
    const con = summarizePath(`${hf517}/trainer-pty.raw`);
    const st = summarizePath(`${hf517}/trainer_state.json`);
    const losses = (s: typeof con) => s.points.filter((p) => p.loss != null).map((p) => Number(p.loss!.toPrecision(4)));
    expect(losses(con)).toEqual(losses(st));
    const evals = (s: typeof con) => s.points.filter((p) => p.evalLoss != null).map((p) => Number(p.evalLoss!.toPrecision(4)));
    expect(evals(con)).toEqual(evals(st));
  });

  it('follows tqdm across carriage returns for steps and totals (plain pipe capture)', () => {
    const s = summarizePath(`${hf517}/trainer-plain.txt`);
    expect(s.totalSteps).toBe(80);
    expect(s.lastStep).toBe(80);
    expect(s.points.filter((p) => p.loss != null)).toHaveLength(16);
    expect(s.finalLoss).toBe(8.424);
  });

  it('quoted DPO dicts match the same run\'s trainer_log.jsonl', () => {
    const con = summarizePath(byName(hfLogs, 'linxiang-ai'));
    const log = summarizePath(byName(trainerLogs, 'linxiang-ai'));
    const losses = (s: typeof con) => s.points.filter((p) => p.loss != null).map((p) => Number(p.loss!.toPrecision(4)));
    expect(losses(con)).toEqual(losses(log));
    // Steps from "Num Epochs" × "Total optimization steps" and each dict's epoch.
    expect(con.points.filter((p) => p.loss != null).map((p) => p.step)).toEqual(log.points.filter((p) => p.loss != null).map((p) => p.step));
    expect(con.points[0]!.extra?.['rewards/accuracies']).toBe(0.3);
  });

  it('8-rank DeepSpeed tee log with bar-less tqdm', () => {
    const s = summarizePath(byName(hfLogs, 'bio-punk'));
    expect(s.totalSteps).toBe(54);
    expect(s.lastStep).toBe(54);
    expect(s.points.filter((p) => p.loss != null).length).toBeGreaterThan(3);
  });

  it('LlamaBoard running_log.txt with blank lines between records', () => {
    const s = summarizePath(byName(hfLogs, 'LzZzZx328'));
    expect(s.totalSteps).toBe(17000);
    expect(s.points[0]).toMatchObject({ loss: 2.2818, lr: 2.5e-6, epoch: 0.29 });
  });
});
