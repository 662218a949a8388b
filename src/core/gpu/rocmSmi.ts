/** Parses `rocm-smi --showallinfo --json` (cardN objects of strings, units in the key names) into GPUs. */
import type { GpuInfo } from '../../shared/types/gpu.js';
import { cleanValue, numberValue } from './smiValues.js';

export interface RocmProcess {
  pid: number;
  name: string;
  /** rocm-smi says on how many GPUs, not which: attribution to a card is not possible from this output. */
  gpuCount: number | null;
  vramBytes: number | null;
}

export interface ParsedRocm {
  driverVersion: string | null;
  gpus: GpuInfo[];
  processes: RocmProcess[];
}

type Card = Record<string, unknown>;

const MiB = 2 ** 20;
const str = (card: Card, ...keys: string[]) => {
  for (const k of keys) {
    const v = card[k];
    if (typeof v === 'string' || typeof v === 'number') {
      const c = cleanValue(String(v));
      if (c !== null) return c;
    }
  }
  return null;
};
const num = (card: Card, ...keys: string[]) => numberValue(str(card, ...keys));
/** "(1402Mhz)" or "0 (300Mhz)" → 1402. */
const clock = (card: Card, ...keys: string[]) => {
  const m = /\((\d+(?:\.\d+)?)\s*Mhz\)/i.exec(str(card, ...keys) ?? '');
  return m ? Number(m[1]) : null;
};
const bytesToMiB = (b: number | null) => (b === null ? null : Math.round(b / MiB));

export function parseRocmSmiJson(text: string): ParsedRocm {
  let doc: unknown;
  try {
    doc = JSON.parse(text);
  } catch (e) {
    throw new Error(`rocm-smi did not print JSON: ${(e as Error).message}`, { cause: e });
  }
  if (!doc || typeof doc !== 'object' || Array.isArray(doc)) throw new Error('rocm-smi JSON is not an object of cards.');
  const entries = Object.entries(doc as Record<string, Card>);
  const system = (doc as Record<string, Card>)['system'] ?? {};
  const driverVersion = str(system, 'Driver version');
  const gpus: GpuInfo[] = [];
  for (const [key, card] of entries) {
    const m = /^card(\d+)$/.exec(key);
    if (!m || !card || typeof card !== 'object') continue;
    const index = Number(m[1]);
    const total = bytesToMiB(num(card, 'VRAM Total Memory (B)'));
    const used = bytesToMiB(num(card, 'VRAM Total Used Memory (B)'));
    const pci = str(card, 'PCI Bus');
    const unique = str(card, 'Unique ID');
    gpus.push({
      index,
      // "Unique ID" is N/A on many boards; the PCI address is the next most stable key.
      uuid: unique ? `AMD-${unique}` : `AMD-${pci ?? `card${index}`}`,
      name: str(card, 'Card series', 'Card SKU', 'Card model', 'Device Name') ?? 'AMD GPU',
      vendor: 'amd',
      pciBusId: pci,
      driverVersion,
      memoryTotalMiB: total,
      memoryUsedMiB: used,
      memoryFreeMiB: total !== null && used !== null ? total - used : null,
      utilizationGpuPct: num(card, 'GPU use (%)'),
      utilizationMemoryPct: num(card, 'GPU memory use (%)', 'GPU Memory Allocated (VRAM%)'),
      temperatureC: num(card, 'Temperature (Sensor edge) (C)', 'Temperature (Sensor junction) (C)'),
      powerDrawW: num(card, 'Average Graphics Package Power (W)', 'Current Socket Graphics Package Power (W)'),
      powerLimitW: num(card, 'Max Graphics Package Power (W)'),
      clockSmMHz: clock(card, 'sclk clock speed:'),
      clockMemMHz: clock(card, 'mclk clock speed:'),
      pstate: str(card, 'Performance Level'),
      computeMode: null,
      migMode: null,
    });
  }
  gpus.sort((a, b) => a.index - b.index);
  const processes: RocmProcess[] = [];
  for (const [key, value] of Object.entries(system)) {
    const m = /^PID(\d+)$/.exec(key);
    if (!m || typeof value !== 'string') continue;
    // "name, gpu count, vram bytes, sdma, cu occupancy"
    const [name, gpusUsed, vram] = value.split(',').map((s) => s.trim());
    processes.push({ pid: Number(m[1]), name: name ?? '', gpuCount: numberValue(gpusUsed), vramBytes: numberValue(vram) });
  }
  return { driverVersion, gpus, processes };
}
