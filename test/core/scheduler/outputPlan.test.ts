/** Planned output folders on the board: a sweep sharing output_dir, a running item, a re-run, a config without one. */
import { describe, expect, it } from 'vitest';
import { planOutputs } from '../../../src/core/scheduler/outputPlan.js';
import type { Run } from '../../../src/shared/types/run.js';
import type { QueueItem, Task } from '../../../src/shared/types/task.js';

const task = (id: string, yaml: string): Task => ({
  id,
  name: id,
  sourcePath: null,
  workDir: '/lf',
  yaml,
  issues: [],
  ok: true,
  kind: 'train',
  estimate: null,
  sweepId: null,
  tags: [],
  createdAt: 0,
  updatedAt: 0,
});
const item = (id: string, taskId: string, createdAt: number, extra: Partial<QueueItem> = {}): QueueItem => ({
  id,
  taskId,
  lane: 'auto',
  gpuCount: 1,
  gpuUuids: [],
  position: 0,
  state: 'queued',
  note: null,
  runId: null,
  createdAt,
  ...extra,
});

describe('planOutputs', () => {
  const tasks = new Map([
    ['lr1', task('lr1', 'output_dir: saves/sweep\nlearning_rate: 1.0e-4\n')],
    ['lr2', task('lr2', 'output_dir: saves/sweep\nlearning_rate: 2.0e-4\n')],
    ['lr3', task('lr3', 'output_dir: saves/sweep\nlearning_rate: 3.0e-4\n')],
    ['plain', task('plain', 'learning_rate: 1.0e-4\n')],
    ['done', task('done', 'output_dir: /abs/finished\n')],
  ]);
  const running = { id: 'run_1', status: 'running', outputDir: '/lf/saves/sweep' } as Run;

  it('keeps the running member in the config folder and gives the waiting ones -2, -3 in queue order', () => {
    const items = [item('c', 'lr3', 30), item('a', 'lr1', 10, { state: 'running', runId: 'run_1' }), item('b', 'lr2', 20)];
    const plan = planOutputs(items, (id) => tasks.get(id) ?? null, (id) => (id === 'run_1' ? running : null), [running], undefined, () => false);
    expect(plan.get('a')).toEqual({ path: '/lf/saves/sweep', configured: '/lf/saves/sweep', reason: 'running' });
    expect(plan.get('b')).toEqual({ path: '/lf/saves/sweep-2', configured: '/lf/saves/sweep', reason: 'shared' });
    expect(plan.get('c')).toEqual({ path: '/lf/saves/sweep-3', configured: '/lf/saves/sweep', reason: 'shared' });
  });

  it('is the same plan whichever item is launched first (an item being launched still counts as waiting)', () => {
    const items = [item('b', 'lr2', 20, { state: 'running' }), item('a', 'lr1', 10)];
    const plan = planOutputs(items, (id) => tasks.get(id) ?? null, () => null, [], undefined, () => false);
    expect(plan.get('a')!.path).toBe('/lf/saves/sweep');
    expect(plan.get('b')!.path).toBe('/lf/saves/sweep-2');
  });

  it('moves a re-run off a folder with a finished run, and leaves configs without output_dir to the data dir', () => {
    const items = [item('x', 'done', 1), item('y', 'plain', 2)];
    const plan = planOutputs(items, (id) => tasks.get(id) ?? null, () => null, [], undefined, (d) => d === '/abs/finished');
    expect(plan.get('x')).toEqual({ path: '/abs/finished-2', configured: '/abs/finished', reason: 'used' });
    expect(plan.get('y')).toEqual({ path: null, configured: null, reason: 'default' });
  });
});
