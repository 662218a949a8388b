/** Run list logic: filters, active-first grouping and ordering, status tones. */
import { describe, expect, it } from 'vitest';
import type { Run, RunStatus } from '../../../src/shared/types/run.js';
import { countByFilter, groupRuns, statusTone } from '../../../src/renderer/features/runs/runList.js';

function run(id: string, status: RunStatus, startedAt: number, endedAt: number | null = null): Run {
  return {
    id, name: id, kind: 'train', taskId: null, sweepId: null, parentRunId: null, status, gpuIndices: [0], gpuUuids: ['GPU-0'],
    outputDir: '/o', runDir: '/r', configPath: '/c.yaml', workDir: '/w', argv: [], env: {}, masterPort: null, pid: null,
    exitCode: null, signal: null, failure: null, estimateMiB: null, peakMiB: null, progress: null, tags: [], notes: '',
    createdAt: startedAt, startedAt, endedAt,
  };
}

const runs = [
  run('old-finished', 'finished', 100, 200),
  run('running-early', 'running', 150),
  run('new-failed', 'failed', 300, 400),
  run('running-late', 'running', 350),
  run('lost', 'lost', 120, 130),
  run('stopped', 'stopped', 50, 500),
];

describe('groupRuns', () => {
  it('puts active runs first, newest started first, then the rest by end time', () => {
    const { active, done } = groupRuns(runs, 'all');
    expect(active.map((r) => r.id)).toEqual(['running-late', 'running-early']);
    expect(done.map((r) => r.id)).toEqual(['stopped', 'new-failed', 'old-finished', 'lost']);
  });
  it('filters by status, counting lost runs as failed', () => {
    expect(groupRuns(runs, 'failed').done.map((r) => r.id)).toEqual(['new-failed', 'lost']);
    expect(groupRuns(runs, 'active').done).toEqual([]);
    expect(countByFilter(runs)).toEqual({ all: 6, active: 2, finished: 1, failed: 2, stopped: 1 });
  });
});

describe('statusTone', () => {
  it('colours outcomes', () => {
    expect(statusTone('finished')).toBe('ok');
    expect(statusTone('failed')).toBe('err');
    expect(statusTone('lost')).toBe('err');
    expect(statusTone('stopping')).toBe('warn');
    expect(statusTone('running')).toBe('');
  });
});

describe('search and sort', () => {
  const base = { tags: [], notes: '', failure: null, progress: null } as unknown as Run;
  const mk = (over: Partial<Run>): Run => ({ ...base, id: over.name ?? 'x', name: 'x', status: 'finished', createdAt: 0, startedAt: 0, endedAt: 10, ...over }) as Run;
  it('matches every word against name, tags and notes', async () => {
    const { matchesSearch } = await import('../../../src/renderer/features/runs/runList.js');
    const r = mk({ name: 'support-lora', tags: ['best'], notes: 'lr sweep' });
    expect(matchesSearch(r, 'support best')).toBe(true);
    expect(matchesSearch(r, 'SWEEP')).toBe(true);
    expect(matchesSearch(r, 'billing')).toBe(false);
  });
  it('sorts by loss with missing losses last in both directions', async () => {
    const { sortRuns } = await import('../../../src/renderer/features/runs/runList.js');
    const a = mk({ name: 'a', progress: { lastLoss: 0.5 } as Run['progress'] });
    const b = mk({ name: 'b', progress: { lastLoss: 0.2 } as Run['progress'] });
    const c = mk({ name: 'c' });
    expect(sortRuns([a, b, c], 'loss', 'asc', 0).map((r) => r.name)).toEqual(['b', 'a', 'c']);
    expect(sortRuns([a, b, c], 'loss', 'desc', 0).map((r) => r.name)).toEqual(['a', 'b', 'c']);
  });
});
