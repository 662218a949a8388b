/** The metric columns of the run table: header key, the value to sort by, and how to show it. */
import type { CompareRow } from '../../../shared/types/compare.js';
import type { MessageKey } from '../../i18n/index.js';
import { formatDuration } from '../../i18n/format.js';
import { fmtMiB, fmtMs, fmtNum, fmtPct } from './format.js';

export interface MetricColumn {
  id: string;
  label: MessageKey;
  value: (r: CompareRow) => number | string | null;
  show: (r: CompareRow) => string;
  /** Whether a delta against the baseline means anything (it does for numbers that measure the run). */
  delta?: boolean;
  /** Which way is an improvement, for colouring deltas (losses: lower; scores and speed: higher). */
  better?: 'lower' | 'higher';
}

const num = (id: string, label: MessageKey, get: (r: CompareRow) => number | null, better: 'lower' | 'higher', digits = 4): MetricColumn => ({
  id,
  label,
  value: get,
  show: (r) => fmtNum(get(r), digits),
  delta: true,
  better,
});

/** Outcome first (losses, then the spot-check the person just ran), then scores, speed and cost. */
export const METRIC_COLUMNS: MetricColumn[] = [
  num('finalLoss', 'compare.col.finalLoss', (r) => r.finalLoss, 'lower'),
  num('minLoss', 'compare.col.minLoss', (r) => r.minLoss, 'lower'),
  num('lastEval', 'compare.col.lastEval', (r) => r.lastEvalLoss, 'lower'),
  num('bestEval', 'compare.col.bestEval', (r) => r.bestEvalLoss, 'lower'),
  {
    id: 'spotAcc',
    label: 'compare.col.spotAcc',
    value: (r) => r.spotCheck?.contains ?? null,
    show: (r) => (r.spotCheck ? `${fmtPct(r.spotCheck.contains)} (${r.spotCheck.done}/${r.spotCheck.total})` : '—'),
  },
  { id: 'spotLatency', label: 'compare.col.spotLatency', value: (r) => r.spotCheck?.meanTotalMs ?? null, show: (r) => fmtMs(r.spotCheck?.meanTotalMs) },
  {
    // Blind side-by-side votes from Chat: sorted by win rate; shown as wins–losses (ties).
    id: 'votes',
    label: 'compare.col.votes',
    value: (r) => (r.votes && r.votes.wins + r.votes.losses > 0 ? r.votes.wins / (r.votes.wins + r.votes.losses) : null),
    show: (r) => (r.votes ? `${r.votes.wins}–${r.votes.losses}${r.votes.ties ? ` (${r.votes.ties})` : ''}` : '—'),
    better: 'higher',
  },
  num('evalAcc', 'compare.col.evalAcc', (r) => r.evalAccuracy, 'higher'),
  num('bleu4', 'compare.col.bleu4', (r) => r.bleu4, 'higher'),
  num('rouge1', 'compare.col.rouge1', (r) => r.rouge1, 'higher'),
  num('rouge2', 'compare.col.rouge2', (r) => r.rouge2, 'higher'),
  num('rougeL', 'compare.col.rougeL', (r) => r.rougeL, 'higher'),
  num('tokensPerSec', 'compare.col.tokensPerSec', (r) => r.tokensPerSec, 'higher', 3),
  { id: 'duration', label: 'compare.col.duration', value: (r) => r.durationS, show: (r) => formatDuration(r.durationS), delta: false },
  { id: 'peak', label: 'compare.col.peak', value: (r) => r.peakMiB, show: (r) => fmtMiB(r.peakMiB) },
  { id: 'estimate', label: 'compare.col.estimate', value: (r) => r.estimateMiB, show: (r) => fmtMiB(r.estimateMiB) },
  { id: 'energy', label: 'compare.col.energy', value: (r) => r.energyWh, show: (r) => (r.energyWh === null ? '—' : `${fmtNum(r.energyWh, 3)} Wh`) },
  { id: 'gpus', label: 'compare.col.gpus', value: (r) => r.gpuIndices.join(','), show: (r) => r.gpuIndices.join(', ') || '—' },
];
