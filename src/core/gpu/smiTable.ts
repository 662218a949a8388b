/** Parses the human `nvidia-smi` table (what users paste into issues): driver/CUDA versions, GPUs, processes. */
import type { GpuInfo } from '../../shared/types/gpu.js';
import { cleanValue, numberValue } from './smiValues.js';

/** The table has no uuid column, so uuid is null here. */
export type TableGpu = Omit<GpuInfo, 'uuid'> & { uuid: null; persistenceMode: string | null; fanPct: number | null };

export interface TableProcess {
  gpuIndex: number;
  pid: number;
  /** C compute, G graphics, C+G, M/M+C (MPS). */
  type: string;
  /** As printed: long paths are cut from the left ("...m-studio/.internal/utils/node"). */
  name: string;
  usedMemoryMiB: number | null;
}

export interface ParsedTable {
  smiVersion: string | null;
  driverVersion: string | null;
  cudaVersion: string | null;
  gpus: TableGpu[];
  processes: TableProcess[];
}

const GPU_ROW = /^\s*(\d+)\s+(.+?)\s+(On|Off)\s*$/;
const PROCESS_TYPES = new Set(['C', 'G', 'C+G', 'M', 'M+C']);

/** Cells of a `| a | b | c |` line, or null for borders and text outside the table. */
function cells(line: string): string[] | null {
  const t = line.trim();
  if (!t.startsWith('|') || !t.endsWith('|')) return null;
  return t.slice(1, -1).split('|');
}

export function parseNvidiaSmiTable(text: string): ParsedTable {
  const lines = text.split(/\r?\n/);
  const header = /NVIDIA-SMI\s+(\S+)\s+Driver Version:\s+(\S+)(?:\s+CUDA Version:\s+(\S+))?/.exec(text);
  const out: ParsedTable = {
    smiVersion: header?.[1] ?? null,
    driverVersion: header?.[2] ?? null,
    cudaVersion: header?.[3] ?? null,
    gpus: [],
    processes: [],
  };
  let inProcesses = false;
  for (let i = 0; i < lines.length; i++) {
    const line = lines[i]!;
    if (/\|\s*Processes:/.test(line)) {
      inProcesses = true;
      continue;
    }
    const c = cells(line);
    if (!c) continue;
    if (inProcesses) {
      const p = processRow(c.join('|'));
      if (p) out.processes.push(p);
      continue;
    }
    const first = c.length === 3 ? GPU_ROW.exec(c[0]!) : null;
    if (!first) continue;
    const second = cells(lines[i + 1] ?? '');
    const third = cells(lines[i + 2] ?? '');
    out.gpus.push(gpuBlock(first, c, second, third, out.driverVersion));
    i += 2;
  }
  return out;
}

function gpuBlock(
  first: RegExpExecArray,
  row1: string[],
  row2: string[] | null,
  row3: string[] | null,
  driverVersion: string | null,
): TableGpu {
  const [busId] = row1[1]!.trim().split(/\s+/);
  // Row 2: "N/A   29C    P0    76W /  700W | 0MiB / 143771MiB | 0%   Default"
  const left = (row2?.[0] ?? '').trim().split(/\s+/);
  // "N/A" contains a slash too: anchor on the units.
  const power = /(\d+(?:\.\d+)?W|N\/A)\s*\/\s*(\d+(?:\.\d+)?W|N\/A)/.exec(row2?.[0] ?? '');
  const memory = /(\d+MiB)\s*\/\s*(\d+MiB)/.exec(row2?.[1] ?? '');
  const [util, ...mode] = (row2?.[2] ?? '').trim().split(/\s+/);
  const used = numberValue(memory?.[1]);
  const total = numberValue(memory?.[2]);
  return {
    index: Number(first[1]),
    uuid: null,
    // Old drivers cut long names with "...": keep what is printed.
    name: first[2]!.trim(),
    vendor: 'nvidia',
    pciBusId: cleanValue(busId),
    driverVersion,
    memoryTotalMiB: total,
    memoryUsedMiB: used,
    memoryFreeMiB: total !== null && used !== null ? total - used : null,
    utilizationGpuPct: numberValue(util),
    utilizationMemoryPct: null,
    temperatureC: numberValue(left[1]),
    powerDrawW: numberValue(power?.[1]),
    powerLimitW: numberValue(power?.[2]),
    clockSmMHz: null,
    clockMemMHz: null,
    pstate: cleanValue(left[2]),
    computeMode: cleanValue(mode.join(' ')),
    migMode: cleanValue(row3?.[2]),
    persistenceMode: first[3]!,
    fanPct: numberValue(left[0]),
  };
}

/** "0   N/A  N/A   2244   G   /usr/lib/xorg/Xorg   4MiB" (GI/CI columns only on newer drivers). */
function processRow(row: string): TableProcess | null {
  const tokens = row.trim().split(/\s+/);
  if (tokens.length < 5) return null;
  const t = tokens.findIndex((tok, i) => i >= 2 && PROCESS_TYPES.has(tok));
  if (t === -1) return null;
  const gpuIndex = Number(tokens[0]);
  const pid = Number(tokens[t - 1]);
  if (!Number.isInteger(gpuIndex) || !Number.isInteger(pid)) return null;
  const last = tokens.at(-1)!;
  const hasMemory = /^(\d+MiB|N\/A)$/.test(last);
  return {
    gpuIndex,
    pid,
    type: tokens[t]!,
    name: tokens.slice(t + 1, hasMemory ? -1 : undefined).join(' '),
    usedMemoryMiB: hasMemory ? numberValue(last) : null,
  };
}
