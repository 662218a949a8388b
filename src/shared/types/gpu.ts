/** GPU domain types: devices, live samples, processes on a card, and why detection found nothing. */

export type GpuVendor = 'nvidia' | 'amd' | 'cpu';

export interface GpuInfo {
  index: number;
  uuid: string;
  name: string;
  vendor: GpuVendor;
  pciBusId: string | null;
  driverVersion: string | null;
  memoryTotalMiB: number | null;
  memoryUsedMiB: number | null;
  memoryFreeMiB: number | null;
  utilizationGpuPct: number | null;
  utilizationMemoryPct: number | null;
  temperatureC: number | null;
  powerDrawW: number | null;
  powerLimitW: number | null;
  clockSmMHz: number | null;
  clockMemMHz: number | null;
  pstate: string | null;
  computeMode: string | null;
  migMode: string | null;
  /** CUDA compute capability, "major.minor" (e.g. "7.0" on a V100): bf16 and FlashAttention-2 need 8.0. Absent when unknown. */
  computeCap?: string | null;
}

export interface GpuProcess {
  pid: number;
  gpuUuid: string;
  /** Index of the card the uuid names (null when the card is not in the snapshot, e.g. a MIG instance). */
  gpuIndex: number | null;
  usedMemoryMiB: number | null;
  /** The Trainyard run this process belongs to (by process tree), or null for someone else's. */
  runId: string | null;
  /** Command name, e.g. "python3" (for external processes the user wants to know who it is). */
  name: string;
  /** Who runs it (login name, or the uid when unnamed); null when /proc does not show it (another pid namespace). */
  user?: string | null;
  /** Its full command line (cut at 4 KiB), or null when unreadable. */
  command?: string | null;
}

/** The machine beside its GPUs: CPU load since the previous sample and memory in use (null where /proc cannot say). */
export interface HostStats {
  cpuPct: number | null;
  memUsedMiB: number | null;
  memTotalMiB: number | null;
}

/**
 * Why no real GPU is shown. 'not-installed' and 'no-devices' are facts about the machine; the others mean the tool is
 * there but failing (the CLI exits 1 for those). 'detecting' is the engine's first half-second, before the first answer.
 */
export type GpuNoticeKind =
  | 'detecting'
  | 'not-installed'
  | 'driver-mismatch'
  | 'no-driver'
  | 'timeout'
  | 'garbage'
  | 'failed'
  | 'no-devices';

export interface GpuNotice {
  kind: GpuNoticeKind;
  message: string;
  /** What the user can do about it. */
  hint: string;
  /** The tool that was tried (path), when one was found. */
  tool?: string;
}

export interface GpuSnapshot {
  source: 'nvidia-smi' | 'rocm-smi' | 'cpu';
  gpus: GpuInfo[];
  processes: GpuProcess[];
  /** Set when no real GPU could be read: says why. */
  notice: GpuNotice | null;
  /** ms since epoch of the newest sample. */
  at: number;
  /** Host CPU and RAM at this sample (absent where /proc is not readable). */
  host?: HostStats | null;
}

/** One point of a card's history (downsampled beyond the last hour). */
export interface GpuHistoryPoint {
  at: number;
  memoryUsedMiB: number | null;
  utilizationGpuPct: number | null;
  temperatureC: number | null;
  powerDrawW: number | null;
}
