/** The run table as CSV (RFC 4180): fixed metric columns, then the config keys shown. */
import type { CompareRow, ConfigValue } from '../../shared/types/compare.js';

type Cell = string | number | boolean | null | undefined;

/** Quotes when needed; a text cell starting with = + - @ is prefixed with ' so a spreadsheet does not run it as a formula. */
export function csvCell(v: Cell): string {
  if (v === null || v === undefined) return '';
  if (typeof v === 'number') return Number.isFinite(v) ? String(v) : '';
  let s = String(v);
  if (typeof v === 'string' && /^[=+\-@\t\r]/.test(s)) s = `'${s}`;
  return /[",\r\n]|^\s|\s$/.test(s) ? `"${s.replace(/"/g, '""')}"` : s;
}

export interface MetricColumn {
  key: string;
  get: (r: CompareRow) => Cell;
}

export const METRIC_COLUMNS: MetricColumn[] = [
  { key: 'run', get: (r) => r.name },
  { key: 'run_id', get: (r) => r.runId },
  { key: 'status', get: (r) => r.status },
  { key: 'gpus', get: (r) => r.gpuIndices.join(' ') },
  { key: 'sweep', get: (r) => r.sweepId },
  { key: 'duration_s', get: (r) => (r.durationS === null ? null : Math.round(r.durationS)) },
  { key: 'final_loss', get: (r) => r.finalLoss },
  { key: 'min_loss', get: (r) => r.minLoss },
  { key: 'last_eval_loss', get: (r) => r.lastEvalLoss },
  { key: 'best_eval_loss', get: (r) => r.bestEvalLoss },
  { key: 'eval_accuracy', get: (r) => r.evalAccuracy },
  { key: 'bleu_4', get: (r) => r.bleu4 },
  { key: 'rouge_1', get: (r) => r.rouge1 },
  { key: 'rouge_2', get: (r) => r.rouge2 },
  { key: 'rouge_l', get: (r) => r.rougeL },
  { key: 'tokens_per_s', get: (r) => r.tokensPerSec },
  { key: 'peak_mib', get: (r) => r.peakMiB },
  { key: 'estimate_mib', get: (r) => r.estimateMiB },
  { key: 'energy_wh', get: (r) => (r.energyWh === null ? null : Math.round(r.energyWh * 100) / 100) },
  { key: 'spot_check_exact', get: (r) => r.spotCheck?.exactMatch },
  { key: 'spot_check_contains', get: (r) => r.spotCheck?.contains },
  { key: 'spot_check_rouge_l', get: (r) => r.spotCheck?.rougeL },
  { key: 'spot_check_latency_ms', get: (r) => r.spotCheck?.meanTotalMs },
  { key: 'spot_check_ttft_ms', get: (r) => r.spotCheck?.meanTtftMs },
  { key: 'votes_won', get: (r) => r.votes?.wins },
  { key: 'votes_lost', get: (r) => r.votes?.losses },
  { key: 'votes_tied', get: (r) => r.votes?.ties },
  { key: 'tags', get: (r) => r.tags.join(' ') },
  { key: 'notes', get: (r) => r.notes },
];

const configCell = (v: ConfigValue | undefined): Cell => (v === undefined ? null : v);

export function tableToCsv(rows: readonly CompareRow[], configKeys: readonly string[]): string {
  const header = [...METRIC_COLUMNS.map((c) => c.key), ...configKeys].map(csvCell).join(',');
  const lines = rows.map((r) => [...METRIC_COLUMNS.map((c) => csvCell(c.get(r))), ...configKeys.map((k) => csvCell(configCell(r.config[k])))].join(','));
  // CRLF per RFC 4180; the BOM makes Excel read UTF-8 (Chinese run names) correctly.
  return '\uFEFF' + [header, ...lines].join('\r\n') + '\r\n';
}
