/** Parses `nvidia-smi --query-gpu / --query-compute-apps --format=csv[,noheader][,nounits]` output into typed rows. */
import type { GpuInfo } from '../../shared/types/gpu.js';
import { canonicalField, cleanValue, numberValue } from './smiValues.js';

/** What the engine asks nvidia-smi for, in this order (detection and the -lms stream use the same list). */
export const GPU_QUERY_FIELDS = [
  'index',
  'uuid',
  'name',
  'pci.bus_id',
  'driver_version',
  'memory.total',
  'memory.used',
  'memory.free',
  'utilization.gpu',
  'utilization.memory',
  'temperature.gpu',
  'power.draw',
  'power.limit',
  'clocks.sm',
  'clocks.mem',
  'pstate',
  'compute_mode',
  'mig.mode.current',
] as const;

/** process_name last: it is free text, so surplus commas are folded back into it. */
export const COMPUTE_APP_FIELDS = ['pid', 'gpu_uuid', 'used_memory', 'process_name'] as const;

export type CsvRecord = Record<string, string | null>;

export interface CsvParse {
  rows: CsvRecord[];
  /** Non-blank lines that did not fit the columns (kept for the "garbage output" notice). */
  bad: string[];
}

/**
 * Splits CSV text into records keyed by field name. With `fields`, a first line that names the first field is taken as
 * a header (so `csv` and `csv,noheader` both parse); without, the first non-blank line must be the header.
 * `textField` names a free-text column that absorbs surplus commas (a process name with a comma in it).
 */
export function parseCsvRecords(text: string, fields?: readonly string[], textField?: string): CsvParse {
  const rows: CsvRecord[] = [];
  const bad: string[] = [];
  let columns: string[] | null = fields ? [...fields] : null;
  let first = true;
  for (const rawLine of text.split(/\r?\n/)) {
    const line = rawLine.trim();
    if (line === '') continue;
    const raw = line.split(',');
    const cells = raw.map((c) => c.trim());
    if (first) {
      first = false;
      const looksLikeHeader = columns ? canonicalField(cells[0] ?? '') === canonicalField(columns[0]!) : true;
      if (looksLikeHeader) {
        columns = cells.map(canonicalField);
        continue;
      }
    }
    const record = toRecord(raw, cells, columns!, textField);
    if (record) rows.push(record);
    else bad.push(rawLine);
  }
  return { rows, bad };
}

function toRecord(raw: string[], cells: string[], columns: string[], textField?: string): CsvRecord | null {
  if (cells.length < columns.length) return null;
  if (cells.length > columns.length) {
    const at = textField ? columns.indexOf(textField) : -1;
    if (at === -1) return null;
    const extra = cells.length - columns.length;
    // Rejoin the untrimmed pieces: "python, my,script" keeps its own spacing.
    cells = [...cells.slice(0, at), raw.slice(at, at + extra + 1).join(',').trim(), ...cells.slice(at + extra + 1)];
  }
  const record: CsvRecord = {};
  columns.forEach((c, i) => (record[c] = cleanValue(cells[i])));
  return record;
}

/** One `--query-gpu` record → GpuInfo; null when it has no usable index (garbage, not a GPU row). */
export function recordToGpu(r: CsvRecord): GpuInfo | null {
  const index = numberValue(r['index']);
  if (index === null || !Number.isInteger(index) || index < 0) return null;
  const uuid = r['uuid'] ?? null;
  if (uuid !== null && !/^(GPU|MIG)-[\w/-]+$/.test(uuid)) return null;
  return {
    index,
    // Without a uuid (a field list that lacks it) the index is the only stable key we have.
    uuid: uuid ?? `GPU-index-${index}`,
    name: r['name'] ?? 'NVIDIA GPU',
    vendor: 'nvidia',
    pciBusId: r['pci.bus_id'] ?? null,
    driverVersion: r['driver_version'] ?? null,
    memoryTotalMiB: numberValue(r['memory.total']),
    memoryUsedMiB: numberValue(r['memory.used']),
    memoryFreeMiB: numberValue(r['memory.free']),
    utilizationGpuPct: numberValue(r['utilization.gpu']),
    utilizationMemoryPct: numberValue(r['utilization.memory']),
    temperatureC: numberValue(r['temperature.gpu']),
    powerDrawW: numberValue(r['power.draw']),
    powerLimitW: numberValue(r['power.limit']),
    clockSmMHz: numberValue(r['clocks.sm']),
    clockMemMHz: numberValue(r['clocks.mem']),
    pstate: r['pstate'] ?? null,
    computeMode: r['compute_mode'] ?? null,
    migMode: r['mig.mode.current'] ?? null,
  };
}

export interface GpuCsvParse {
  gpus: GpuInfo[];
  bad: string[];
}

/** A whole one-shot `--query-gpu` answer (with or without header/units). */
export function parseQueryGpuCsv(text: string, fields: readonly string[] = GPU_QUERY_FIELDS): GpuCsvParse {
  const { rows, bad } = parseCsvRecords(text, fields, 'name');
  const gpus: GpuInfo[] = [];
  for (const r of rows) {
    const g = recordToGpu(r);
    if (g) gpus.push(g);
    else bad.push(Object.values(r).join(', '));
  }
  return { gpus, bad };
}

export interface ComputeApp {
  pid: number;
  gpuUuid: string;
  usedMemoryMiB: number | null;
  processName: string | null;
}

/** A `--query-compute-apps` answer; an empty answer (no processes yet) is an empty list, not an error. */
export function parseComputeAppsCsv(text: string, fields: readonly string[] = COMPUTE_APP_FIELDS): ComputeApp[] {
  const { rows } = parseCsvRecords(text, fields, 'process_name');
  const apps: ComputeApp[] = [];
  for (const r of rows) {
    const pid = numberValue(r['pid']);
    // The header alias table folds gpu_uuid into uuid (right for --query-gpu); accept both here.
    const gpuUuid = r['gpu_uuid'] ?? r['uuid'];
    if (pid === null || !Number.isInteger(pid) || pid <= 0 || !gpuUuid) continue;
    apps.push({ pid, gpuUuid, usedMemoryMiB: numberValue(r['used_memory']), processName: r['process_name'] ?? null });
  }
  return apps;
}
