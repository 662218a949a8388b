/** Picks the device for an inference server the way the scheduler would: live free memory minus what active runs were promised. */
import type { GpuSnapshot } from '../../shared/types/gpu.js';
import type { Run } from '../../shared/types/run.js';
import { memoryClaims } from '../../shared/domain/promisedMemory.js';
import { gpuRooms, roomFor, type PlanRunning } from '../scheduler/capacity.js';

export interface GpuChoice {
  gpuIndices: number[];
  gpuUuids: string[];
  reason: string;
}

/**
 * Order of preference: the card the user picked; the card reserved for chat in Settings; otherwise the card with the
 * most room that fits (worst fit on purpose: a chat server is short-lived and should not crowd a card a queued training
 * job could fill). The CPU "device" shows as index 0 but means "no GPU": CUDA_VISIBLE_DEVICES stays empty.
 */
export function pickGpu(opts: {
  snapshot: GpuSnapshot;
  active: Run[];
  needMiB: number | null;
  marginMiB: number;
  requested: string | null;
  reserved: string | null;
}): GpuChoice {
  const gpus = opts.snapshot.gpus.map((g) => ({
    uuid: g.uuid,
    index: g.index,
    name: g.name,
    vendor: g.vendor,
    totalMiB: g.memoryTotalMiB,
    freeMiB: g.memoryFreeMiB,
  }));
  if (!gpus.length) throw new Error('No device to run the inference server on (no GPU detected and no CPU fallback).');
  const running: PlanRunning[] = memoryClaims(opts.active, [], opts.snapshot.processes);
  const rooms = gpuRooms(gpus, running, opts.marginMiB);
  const choice = (uuid: string, reason: string): GpuChoice => {
    const g = gpus.find((x) => x.uuid === uuid)!;
    return { gpuIndices: g.vendor === 'cpu' ? [] : [g.index], gpuUuids: [g.uuid], reason };
  };
  const cpu = gpus.find((g) => g.vendor === 'cpu');
  // On a machine without GPUs the servers share the processor: inference needs no exclusive device there.
  if (cpu && gpus.length === 1) return choice(cpu.uuid, 'no GPU: the server runs on the CPU');
  for (const [uuid, why] of [
    [opts.requested, 'picked by you'],
    [opts.reserved, 'reserved for chat in Settings'],
  ] as const) {
    if (!uuid) continue;
    const room = rooms.get(uuid);
    if (!room) throw new Error(`GPU ${uuid} (${why}) is not in the current GPU list.`);
    // An explicit choice is honoured even when tight: the user asked for that card (the server fails with OOM otherwise).
    return choice(uuid, why);
  }
  const fitting = [...rooms.values()]
    .filter((r) => r.gpu.vendor !== 'cpu' && roomFor(r, opts.needMiB, opts.marginMiB).ok)
    .sort((a, b) => (b.availMiB ?? 0) - (a.availMiB ?? 0));
  if (fitting[0]) return choice(fitting[0].gpu.uuid, roomFor(fitting[0], opts.needMiB, opts.marginMiB).reason);
  const reasons = [...rooms.values()].map((r) => roomFor(r, opts.needMiB, opts.marginMiB).reason);
  throw new Error(`No GPU has room for the inference server now: ${reasons.join('; ')}. Pick a card, or reserve one for chat in Settings.`);
}
