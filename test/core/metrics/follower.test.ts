/** The live tailer: partial lines wait, resumes become segments, a restart continues from the cursor exactly, console gives way to trainer_log. */
import { appendFileSync, mkdirSync, writeFileSync } from 'node:fs';
import { join } from 'node:path';
import { afterEach, describe, expect, it } from 'vitest';
import { MetricsFollower } from '../../../src/core/metrics/follower.js';
import { createMetricsRepo } from '../../../src/core/store/metricsRepo.js';
import type { MetricPoint, RunProgress } from '../../../src/shared/types/run.js';
import { makeCtx, tempDataDir } from '../runs/helpers.js';

const dirs: { close(): void }[] = [];
afterEach(() => dirs.splice(0).forEach((d) => d.close()));

function setup() {
  const dataDir = tempDataDir();
  const ctx = makeCtx(dataDir);
  dirs.push({ close: () => ctx.db.close() });
  const repo = createMetricsRepo(ctx.db);
  const outputDir = join(dataDir, 'out');
  mkdirSync(outputDir);
  const consolePath = join(dataDir, 'console.log');
  writeFileSync(consolePath, '');
  const events: { points: MetricPoint[]; reset: boolean }[] = [];
  const progress: RunProgress[] = [];
  const make = () =>
    new MetricsFollower({
      runId: 'r1',
      outputDir,
      consolePath,
      repo,
      onPoints: (points, reset) => events.push({ points, reset }),
      onProgress: (p) => progress.push(p),
    });
  return { repo, outputDir, consolePath, events, progress, make, log: join(outputDir, 'trainer_log.jsonl') };
}

const line = (step: number, total: number, loss?: number) =>
  JSON.stringify({ current_steps: step, total_steps: total, ...(loss !== undefined ? { loss } : {}), percentage: (step / total) * 100, elapsed_time: `0:00:${String(step).padStart(2, '0')}` }) + '\n';

describe('MetricsFollower', () => {
  it('waits for a partial last line, then reads only the new bytes', () => {
    const t = setup();
    const f = t.make();
    const full = line(1, 10, 2.0);
    writeFileSync(t.log, line(0, 10, 2.5) + full.slice(0, 20));
    expect(f.poll()).toBe(1);
    expect(f.poll()).toBe(0);
    appendFileSync(t.log, full.slice(20));
    expect(f.poll()).toBe(1);
    expect(t.repo.points('r1').map((p) => p.loss)).toEqual([2.5, 2.0]);
    expect(t.progress.at(-1)).toMatchObject({ step: 1, totalSteps: 10, percent: 10, lastLoss: 2.0 });
  });

  it('resumes exactly after a restart: no duplicates, no gaps, and keeps resume segments', () => {
    const t = setup();
    writeFileSync(t.log, line(5, 20, 1.5) + line(10, 20, 1.2));
    t.make().poll();
    // The engine restarts: a new follower reads the cursor. Meanwhile the run resumed from checkpoint-5.
    appendFileSync(t.log, line(15, 20, 1.1) + line(5, 20, 1.4) + line(10, 20, 1.19));
    const g = t.make();
    expect(g.poll()).toBe(3);
    const pts = t.repo.points('r1');
    expect(pts.map((p) => [p.step, p.segment])).toEqual([
      [5, 0],
      [10, 0],
      [15, 0],
      [5, 1],
      [10, 1],
    ]);
  });

  it('uses console dicts until trainer_log.jsonl appears, then replaces them', () => {
    const t = setup();
    const f = t.make();
    expect(f.source).toBe('console');
    appendFileSync(t.consolePath, "  5%|▌ | 1/20 [00:01<00:19, 1.00it/s]\r{'loss': '0.9', 'learning_rate': '1e-4', 'epoch': '0.1'}\r\n");
    expect(f.poll()).toBe(1);
    expect(t.progress.at(-1)).toMatchObject({ totalSteps: 20 });
    writeFileSync(t.log, line(2, 20, 0.9));
    expect(f.poll()).toBe(1);
    expect(f.source).toBe('trainer_log');
    expect(t.events.some((e) => e.reset)).toBe(true);
    expect(t.repo.points('r1').map((p) => p.step)).toEqual([2]);
  });

  it('reads grad_norm from the console beside trainer_log.jsonl (LogCallback leaves it out), once across a restart', () => {
    const t = setup();
    writeFileSync(t.log, line(5, 20, 1.5) + line(10, 20, 1.2));
    // HF's banner gives the totals, so each dict's step follows from its epoch (20 steps over 2 epochs).
    appendFileSync(t.consolePath, '  Num Epochs = 2\n  Total optimization steps = 20\n');
    appendFileSync(t.consolePath, "{'loss': 1.5, 'grad_norm': 0.75, 'learning_rate': 1e-4, 'epoch': 0.5}\n");
    const f = t.make();
    f.poll();
    appendFileSync(t.consolePath, "{'loss': 1.2, 'grad_norm': 0.5, 'learning_rate': 9e-5, 'epoch': 1.0}\n");
    f.poll();
    const gn = (pts: MetricPoint[]) => pts.filter((p) => p.extra?.grad_norm !== undefined).map((p) => [p.step, p.extra!.grad_norm]);
    expect(gn(t.repo.points('r1'))).toEqual([
      [5, 0.75],
      [10, 0.5],
    ]);
    // They went out live too, and they are no train points: the loss series is the file's alone.
    expect(gn(t.events.flatMap((e) => e.points))).toHaveLength(2);
    expect(t.repo.points('r1').filter((p) => p.loss != null)).toHaveLength(2);
    // An engine restart continues from the stored console offset: nothing twice.
    appendFileSync(t.consolePath, "{'loss': 1.1, 'grad_norm': 0.25, 'learning_rate': 8e-5, 'epoch': 1.5}\n");
    appendFileSync(t.log, line(15, 20, 1.1));
    t.make().poll();
    expect(gn(t.repo.points('r1'))).toEqual([
      [5, 0.75],
      [10, 0.5],
      [15, 0.25],
    ]);
  });

  it('garbage and NaN lines become warnings and a NaN flag, never a crash', () => {
    const t = setup();
    writeFileSync(t.log, 'oops not json\n' + '{"current_steps": 3, "total_steps": 9, "loss": NaN}\n' + line(4, 9, 1));
    const f = t.make();
    expect(f.poll()).toBe(2);
    expect(f.nanLoss).toBe(true);
    expect([...f.warnings].join()).toMatch(/Not a trainer_log line/);
  });

  it('re-reads a truncated file (overwrite_output_dir) as a new segment', () => {
    const t = setup();
    writeFileSync(t.log, line(5, 9, 1) + line(9, 9, 0.5));
    const f = t.make();
    f.poll();
    writeFileSync(t.log, line(1, 9, 2));
    expect(f.poll()).toBe(1);
    expect(t.repo.points('r1').map((p) => p.segment)).toEqual([0, 0, 1]);
  });
});
