/** Maps compute-apps rows to Trainyard runs (the run marker, then the process tree); the rest are "external" with their command name. */
import type { GpuInfo, GpuProcess } from '../../shared/types/gpu.js';
import { ancestorsOf, commandName } from './processTree.js';
import { createProcInfoReader, type ProcInfoReader } from './procInfo.js';
import type { ComputeApp } from './smiCsv.js';

/** pid → run id, or null when the pid is not a run's (the runs supervisor provides it). */
export type PidResolver = (pid: number) => string | null;

/**
 * The pid itself first, then its ancestors. The supervisor's resolver knows a pid by the run marker in its environment
 * (TRAINYARD_RUN_ID, inherited by every process of a run), so a torchrun worker is its run's even after it left the
 * session or was re-parented to pid 1 — and after a stop or a lost holder, while it still holds memory. The ancestor
 * walk covers a process that cleared its environment. A pid from another pid namespace (containerised nvidia-smi) has
 * no /proc entry here; it stays external with the name nvidia-smi reported.
 */
export function runIdFor(pid: number, resolver: PidResolver, procRoot?: string): string | null {
  const ask = (p: number) => {
    try {
      return resolver(p);
    } catch {
      // A broken resolver must not stop telemetry; the process just shows as external.
      return null;
    }
  };
  const direct = ask(pid);
  if (direct) return direct;
  for (const a of ancestorsOf(pid, procRoot)) {
    const id = ask(a);
    if (id) return id;
  }
  return null;
}

export function attributeProcesses(
  apps: ComputeApp[],
  gpus: GpuInfo[],
  resolver: PidResolver,
  procRoot?: string,
  info: ProcInfoReader = createProcInfoReader(procRoot),
): GpuProcess[] {
  const indexOf = new Map(gpus.map((g) => [g.uuid, g.index]));
  const runs = new Map<number, string | null>();
  return apps.map((a) => {
    if (!runs.has(a.pid)) runs.set(a.pid, runIdFor(a.pid, resolver, procRoot));
    const basename = a.processName?.split('/').pop() ?? null;
    return {
      pid: a.pid,
      gpuUuid: a.gpuUuid,
      gpuIndex: indexOf.get(a.gpuUuid) ?? null,
      usedMemoryMiB: a.usedMemoryMiB,
      runId: runs.get(a.pid) ?? null,
      name: commandName(a.pid, procRoot) ?? basename ?? `pid ${a.pid}`,
      user: info.user(a.pid),
      command: info.command(a.pid),
    };
  });
}
