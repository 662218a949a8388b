/** Pure board logic: lane order, moves, memory split and reservations, key=value and value-list parsing. */
import { describe, expect, it } from 'vitest';
import {
  dropPosition,
  fitKey,
  gib,
  gibRange,
  gridSize,
  laneItems,
  memorySplit,
  parseEdits,
  parseScalar,
  parseValueList,
  queuedIn,
  reservedOn,
  runsOnCard,
  shiftedPosition,
} from '../../../src/renderer/features/board/boardLogic.js';
import { summarize } from '../../../src/renderer/features/board/taskSummary.js';
import type { GpuInfo, GpuProcess } from '../../../src/shared/types/gpu.js';
import type { Run } from '../../../src/shared/types/run.js';
import type { QueueItem } from '../../../src/shared/types/task.js';

const item = (id: string, p: Partial<QueueItem> = {}): QueueItem => ({
  id,
  taskId: `t-${id}`,
  lane: 'gpu:A',
  gpuCount: 1,
  gpuUuids: [],
  position: 0,
  state: 'queued',
  note: null,
  runId: null,
  createdAt: 0,
  ...p,
});

const gpu = (p: Partial<GpuInfo> = {}): GpuInfo => ({
  index: 0,
  uuid: 'A',
  name: 'H100',
  vendor: 'nvidia',
  pciBusId: null,
  driverVersion: null,
  memoryTotalMiB: 80_000,
  memoryUsedMiB: 30_000,
  memoryFreeMiB: 50_000,
  utilizationGpuPct: 0,
  utilizationMemoryPct: null,
  temperatureC: null,
  powerDrawW: null,
  powerLimitW: null,
  clockSmMHz: null,
  clockMemMHz: null,
  pstate: null,
  computeMode: null,
  migMode: null,
  ...p,
});

const proc = (pid: number, usedMemoryMiB: number, runId: string | null, gpuUuid = 'A'): GpuProcess => ({ pid, gpuUuid, gpuIndex: 0, usedMemoryMiB, runId, name: 'python3' });

describe('lane order', () => {
  const queue = [
    item('q2', { position: 1 }),
    item('r', { state: 'running', position: 5 }),
    item('q1', { position: 0 }),
    item('done', { state: 'done' }),
    item('other', { lane: 'gpu:B' }),
    item('span', { lane: 'gpu:B', gpuUuids: ['A'], position: 9 }),
  ];
  it('lists running items first, then waiting ones by position, including multi-GPU items spanning the card', () => {
    expect(laneItems(queue, 'gpu:A').map((q) => q.id)).toEqual(['r', 'q1', 'q2', 'span']);
    expect(laneItems(queue, 'gpu:B').map((q) => q.id)).toEqual(['other', 'span']);
  });
  it('computes up/down and drop positions among the waiting items only', () => {
    const q = queuedIn(queue, 'gpu:A');
    expect(q.map((x) => x.id)).toEqual(['q1', 'q2']);
    expect(shiftedPosition(q, 'q2', -1)).toBe(0);
    expect(shiftedPosition(q, 'q1', -1)).toBeNull();
    expect(shiftedPosition(q, 'q2', 1)).toBeNull();
    expect(dropPosition(q, 'q2', 'q1')).toBe(0);
    expect(dropPosition(q, 'q1', null)).toBe(1);
    expect(dropPosition(q, 'x', 'q2')).toBe(1);
  });
});

describe('memory', () => {
  it('splits used memory into runs and other programs, and reserves part of the free memory', () => {
    const s = memorySplit(gpu(), [proc(1, 10_000, 'run1'), proc(2, 5_000, null), proc(3, 9_999, 'run9', 'B')], 8_000)!;
    expect(s).toEqual({ totalMiB: 80_000, runsMiB: 10_000, otherMiB: 20_000, reservedMiB: 8_000, freeMiB: 42_000 });
    expect(memorySplit(gpu({ memoryTotalMiB: null }), [], 0)).toBeNull();
    // A reservation never exceeds what is free.
    expect(memorySplit(gpu(), [], 1e9)!.reservedMiB).toBe(50_000);
  });
  it('reserves what a live run still has to allocate, per card it spans (the shared rule, tested in test/shared/domain)', () => {
    const run = (id: string, gpuUuids: string[], estimateMiB: number | null, status: Run['status'] = 'running') => ({ id, gpuUuids, estimateMiB, status }) as Run;
    const runs = [run('run1', ['A', 'B'], 20_000), run('gone', ['A'], 50_000, 'failed')];
    const queue = [item('r', { state: 'running', runId: 'run1', gpuUuids: ['A', 'B'] }), item('q', { taskId: 't-r' })];
    expect(reservedOn(gpu(), runs, queue, [proc(1, 6_000, 'run1')])).toBe(14_000);
    expect(reservedOn(gpu({ uuid: 'B' }), runs, queue, [])).toBe(20_000);
    expect(reservedOn(gpu({ uuid: 'C' }), runs, queue, [])).toBe(0);
    // A learned OOM floor (the figure the board placed it with) wins over the estimate.
    expect(reservedOn(gpu(), runs, [item('r', { state: 'running', runId: 'run1', needMiB: 30_000 })], [])).toBe(30_000);
  });
  it('groups run processes on a card', () => {
    expect(runsOnCard('A', [proc(1, 100, 'r1'), proc(2, 300, 'r2'), proc(3, 50, 'r1'), proc(4, 999, null)])).toEqual([
      { runId: 'r2', usedMiB: 300, pids: [2] },
      { runId: 'r1', usedMiB: 150, pids: [1, 3] },
    ]);
  });
  it('formats GiB', () => {
    expect(gib(7680)).toBe('7.5 GiB');
    expect(gib(8192)).toBe('8 GiB');
    expect(gib(30_720)).toBe('30 GiB');
    expect(gib(null)).toBe('–');
    expect(gib(3)).toBe('<0.1 GiB');
    expect(gib(0)).toBe('0 GiB');
    expect(gibRange(22_528, 30_720)).toBe('22–30 GiB');
    expect(gibRange(30_700, 30_720)).toBe('30 GiB');
  });
});

describe('parsing what the user types', () => {
  it('types scalars as YAML would', () => {
    expect(parseScalar(' 2e-4 ')).toBe(2e-4);
    expect(parseScalar('16')).toBe(16);
    expect(parseScalar('True')).toBe(true);
    expect(parseScalar('null')).toBeNull();
    expect(parseScalar('"16"')).toBe('16');
    expect(parseScalar('saves/x')).toBe('saves/x');
  });
  it('reads key=value edits and says which line is wrong', () => {
    expect(parseEdits('learning_rate=1e-4\n# note\n\nlora_rank: 8; dataset=a,b')).toEqual({
      ok: true,
      value: { learning_rate: 1e-4, lora_rank: 8, dataset: 'a,b' },
    });
    expect(parseEdits('learning_rate=1\njust words')).toEqual({ ok: false, error: 'noEquals', line: 2 });
    expect(parseEdits('a=1\na=2')).toMatchObject({ ok: false, error: 'dupKey', key: 'a', line: 2 });
    expect(parseEdits('bad key=1')).toMatchObject({ ok: false, error: 'badKey', line: 1 });
  });
  it('reads sweep value lists', () => {
    expect(parseValueList('1e-4, 2e-4,5e-4')).toEqual({ ok: true, value: [1e-4, 2e-4, 5e-4] });
    expect(parseValueList('  ')).toMatchObject({ ok: false, error: 'noValues' });
    expect(parseValueList('1,,2')).toMatchObject({ ok: false, error: 'emptyValue' });
    expect(parseValueList('8, 8')).toMatchObject({ ok: false, error: 'repeated' });
    expect(gridSize([{ values: [1, 2] }, { values: [1, 2, 3] }])).toBe(6);
    expect(gridSize([])).toBe(0);
  });
  it('keys fit checks by task, lane and the set of extra GPUs', () => {
    expect(fitKey('t', 'gpu:A', ['C', 'B'])).toBe(fitKey('t', 'gpu:A', ['B', 'C']));
    expect(fitKey('t', 'auto')).not.toBe(fitKey('t', 'gpu:A'));
  });
});

describe('task summary', () => {
  it('reads model, method and key hyperparameters from the YAML', () => {
    const s = summarize('model_name_or_path: Qwen/Qwen2.5-7B\nstage: sft\nfinetuning_type: lora\nlearning_rate: 2.0e-4\nlora_rank: 16\ndataset: a,b\nx: [1]\n');
    expect(s).toMatchObject({ model: 'Qwen/Qwen2.5-7B', stage: 'sft', finetuningType: 'lora', dataset: 'a,b' });
    expect(s.params).toEqual([
      ['learning_rate', '2e-4'],
      ['lora_rank', '16'],
    ]);
    expect(s.values).not.toHaveProperty('x');
    expect(summarize('a: [').model).toBeNull();
  });
});
