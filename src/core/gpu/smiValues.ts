/** Value cleaning shared by the nvidia-smi / rocm-smi parsers: placeholders → null, units stripped, field aliases folded. */

/**
 * nvidia-smi writes `[N/A]`, `[Not Supported]`, `[Unknown Error]`, `[Insufficient Permissions]`, `[GPU is lost]`…
 * for values it cannot read (MIG slices, consumer cards, fallen-off-the-bus GPUs). Any bracketed value, a bare `N/A`
 * or an empty cell is "no value", never a parse error.
 */
export function cleanValue(raw: string | undefined | null): string | null {
  if (raw === undefined || raw === null) return null;
  const v = raw.trim();
  if (v === '' || v === 'N/A' || v === '-' || /^\[.*\]$/.test(v)) return null;
  return v;
}

/** A number with an optional unit suffix ("143771 MiB", "123.01 W", "33 C", "0 %", "1980MHz") → 143771; else null. */
export function numberValue(raw: string | undefined | null): number | null {
  const v = cleanValue(raw);
  if (v === null) return null;
  const m = /^(-?\d+(?:\.\d+)?)\s*(?:[a-zA-Z%]+)?$/.exec(v);
  if (!m) return null;
  const n = Number(m[1]);
  return Number.isFinite(n) ? n : null;
}

/** Strips the unit bracket of a CSV header cell ("memory.total [MiB]" → "memory.total") and folds aliases. */
export function canonicalField(header: string): string {
  const name = header
    .trim()
    .replace(/\s*\[[^\]]*\]\s*$/, '')
    .trim();
  return FIELD_ALIASES[name] ?? name;
}

/** nvidia-smi accepts several spellings of one field (see `--help-query-gpu`); we key rows by one of them. */
const FIELD_ALIASES: Record<string, string> = {
  gpu_name: 'name',
  gpu_uuid: 'uuid',
  gpu_serial: 'serial',
  gpu_bus_id: 'pci.bus_id',
  'clocks.current.sm': 'clocks.sm',
  'clocks.current.memory': 'clocks.mem',
  'clocks.current.graphics': 'clocks.gr',
  'clocks.current.video': 'clocks.video',
  used_gpu_memory: 'used_memory',
};
