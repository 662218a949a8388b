/** The promised-memory rule both sides use, and proof that the scheduler and the board's memory bar read the same figure. */
import { describe, expect, it } from 'vitest';
import { gpuRooms } from '../../../src/core/scheduler/capacity.js';
import { planGpus } from '../../../src/core/scheduler/board.js';
import { runningForPlan } from '../../../src/core/scheduler/scheduler.js';
import { reservedOn } from '../../../src/renderer/features/board/boardLogic.js';
import { memoryClaims, pendingMiB, promisedMiB } from '../../../src/shared/domain/promisedMemory.js';
import { isActiveStatus } from '../../../src/shared/domain/runState.js';
import type { GpuInfo, GpuProcess, GpuSnapshot } from '../../../src/shared/types/gpu.js';
import type { Run, RunStatus } from '../../../src/shared/types/run.js';
import type { QueueItem } from '../../../src/shared/types/task.js';

const run = (id: string, gpuUuids: string[], estimateMiB: number | null, status: RunStatus = 'running') => ({ id, gpuUuids, estimateMiB, status }) as Run;
const item = (runId: string | null, needMiB: number | null, p: Partial<QueueItem> = {}): QueueItem => ({
  id: `i-${runId ?? 'q'}`,
  taskId: 't',
  lane: 'auto',
  gpuCount: 1,
  gpuUuids: [],
  position: 0,
  state: runId ? 'running' : 'queued',
  note: null,
  runId,
  createdAt: 0,
  needMiB,
  ...p,
});
const proc = (runId: string | null, gpuUuid: string, usedMemoryMiB: number | null): GpuProcess => ({ pid: 1, gpuUuid, gpuIndex: 0, usedMemoryMiB, runId, name: 'python3' });
const gpu = (uuid: string, vendor: GpuInfo['vendor'] = 'nvidia', freeMiB = 60_000): GpuInfo =>
  ({ index: 0, uuid, name: 'H100', vendor, memoryTotalMiB: 80_000, memoryUsedMiB: 80_000 - freeMiB, memoryFreeMiB: freeMiB, utilizationGpuPct: 0 }) as GpuInfo;

describe('promised memory', () => {
  it('a board run claims the figure it was placed with, any other run its estimate; processes count per card', () => {
    const claims = memoryClaims([run('r1', ['A', 'B'], 10_000), run('r2', ['A'], 8_000)], [item('r1', 30_000)], [proc('r1', 'A', 6_000), proc('r1', 'A', 1_000), proc('r1', 'B', null), proc(null, 'A', 999)]);
    expect(claims).toEqual([
      { id: 'r1', gpuUuids: ['A', 'B'], needMiB: 30_000, usedMiB: { A: 7_000 } },
      { id: 'r2', gpuUuids: ['A'], needMiB: 8_000, usedMiB: {} },
    ]);
    expect(pendingMiB(claims[0]!, 'A')).toBe(23_000);
    expect(pendingMiB(claims[0]!, 'B')).toBe(30_000);
    expect(promisedMiB({ uuid: 'A', vendor: 'nvidia' }, claims)).toBe(31_000);
    expect(promisedMiB({ uuid: 'C', vendor: 'nvidia' }, claims)).toBe(0);
  });
  it('promises nothing past the figure, for an unknown size, or on the CPU device', () => {
    const [grown] = memoryClaims([run('r', ['A'], 4_000)], [], [proc('r', 'A', 9_000)]);
    expect(pendingMiB(grown!, 'A')).toBe(0);
    const [unknown] = memoryClaims([run('u', ['A'], null)], [item('u', null)], []);
    expect(pendingMiB(unknown!, 'A')).toBeNull();
    expect(promisedMiB({ uuid: 'A', vendor: 'nvidia' }, [unknown!])).toBe(0);
    expect(promisedMiB({ uuid: 'cpu', vendor: 'cpu' }, memoryClaims([run('c', ['cpu'], 2_000)], [], []))).toBe(0);
  });
  it('the scheduler and the board memory bar give the same numbers for the same runs, queue and processes', () => {
    const gpus = [gpu('A'), gpu('B', 'nvidia', 20_000), gpu('C'), gpu('cpu', 'cpu')];
    const processes = [proc('r1', 'A', 6_000), proc('r3', 'B', 2_500), proc(null, 'B', 40_000)];
    const snap: GpuSnapshot = { source: 'nvidia-smi', gpus, processes, notice: null, at: 0 };
    const runs = [
      run('r1', ['A'], 12_000),
      run('r2', ['A', 'B'], null),
      run('r3', ['B'], 9_000),
      run('chat', ['C'], 7_000),
      run('cpuRun', ['cpu'], 3_000),
      run('old', ['A'], 50_000, 'finished'),
    ];
    const queue = [item('r1', 20_000, { lane: 'gpu:A' }), item('r2', 16_000, { gpuUuids: ['A', 'B'], gpuCount: 2 }), item(null, 5_000, { lane: 'gpu:C' })];
    // The engine plans with its live runs only (supervisor.active()); the renderer holds every run and filters the live ones.
    const active = runs.filter((r) => isActiveStatus(r.status));
    const rooms = gpuRooms(planGpus(snap), runningForPlan(active, queue, snap), 1_024);
    const scheduler = Object.fromEntries(gpus.map((g) => [g.uuid, rooms.get(g.uuid)!.promisedMiB]));
    const board = Object.fromEntries(gpus.map((g) => [g.uuid, reservedOn(g, runs, queue, processes)]));
    expect(board).toEqual(scheduler);
    expect(scheduler).toEqual({ A: 14_000 + 16_000, B: 16_000 + 6_500, C: 7_000, cpu: 0 });
  });
});
