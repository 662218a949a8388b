/** `trainyard inspect` on real files: JSON shape and values, readable output, exit codes. */
import { mkdtempSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { describe, expect, it } from 'vitest';
import { runCli } from '../../src/cli/index.js';
import { fixture } from '../helpers/fixtures.js';

async function cli(...argv: string[]) {
  let out = '';
  let err = '';
  const code = await runCli(['inspect', ...argv], { out: (t) => (out += t), err: (t) => (err += t), env: {} });
  return { code, out, err };
}

describe('trainyard inspect', () => {
  it('--json on a trainer_log.jsonl', async () => {
    const r = await cli(fixture('real-world/trainer_log/agosalvez__tfm-lora-specialized-adapter__results__trainer_log.jsonl'), '--json');
    expect(r.code).toBe(0);
    const j = JSON.parse(r.out) as Record<string, unknown> & { points: { step: number; loss?: number }[]; warnings: string[] };
    expect(j).toMatchObject({ totalSteps: 240, lastStep: 240, finalLoss: 0.0707, minLoss: 0.0253, lastEvalLoss: null, elapsedSeconds: 1273, segments: 1 });
    expect(j.warnings).toEqual([]);
    expect(j.points[0]).toEqual({ step: 5, loss: 2.0905, lr: 0.0005, epoch: 0.4444444444444444 });
  });

  it('an output dir: picks trainer_state.json when there is no trainer_log', async () => {
    const r = await cli(fixture('trainer-output/hf-transformers-5.17'), '--json');
    expect(r.code).toBe(0);
    const j = JSON.parse(r.out) as { source: string; lastStep: number; lastEvalLoss: number };
    expect(j.source).toMatch(/trainer_state\.json$/);
    expect(j.lastStep).toBe(80);
    expect(j.lastEvalLoss).toBeCloseTo(8.4115, 3);
  });

  it('readable summary of a console log', async () => {
    const r = await cli(fixture('real-world/hf-logs/linxiang-ai__qwen-lora-sft__results__m3__train_full_log.txt'));
    expect(r.code).toBe(0);
    expect(r.out).toMatch(/steps\s+102 \/ 102/);
    expect(r.out).toMatch(/final loss\s+0\.6672/);
  });

  it('exit 1 for missing or unrecognisable input, with the reason', async () => {
    expect((await cli('/nonexistent/file')).code).toBe(1);
    const lfs = await cli(fixture('real-world/trainer_log/Observer-18__nlp__trainer_log.jsonl'));
    expect(lfs.code).toBe(1);
    expect(lfs.out).toMatch(/Git LFS pointer/);
    const empty = mkdtempSync(join(tmpdir(), 'ty-inspect-'));
    const r = await cli(empty);
    expect(r.code).toBe(1);
    expect(r.err).toMatch(/No trainer_log\.jsonl/);
    writeFileSync(join(empty, 'x.bin'), Buffer.from([0, 1, 2, 255]));
    expect((await cli(join(empty, 'x.bin'))).code).toBe(1);
  });

  it('exit 2 on usage errors', async () => {
    expect((await cli()).code).toBe(2);
    expect((await cli('a', 'b')).code).toBe(2);
    expect((await cli('--bogus', 'a')).code).toBe(2);
  });
});
