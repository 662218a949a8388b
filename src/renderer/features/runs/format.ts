/** Pure formatting of run figures (durations, ETA, sizes, rates, losses) shared by the list and the run page. */
import type { Run } from '../../../shared/types/run.js';
import { localeOf } from '../../i18n/format.js';

// The duration clock is one rule for every view (src/renderer/i18n/format.ts).
export { formatDuration } from '../../i18n/format.js';

/** Seconds the run has been (or was) running: from startedAt to endedAt, or to `now` while it is live. */
export function runDurationSeconds(run: Pick<Run, 'startedAt' | 'endedAt'>, now: number): number | null {
  if (run.startedAt == null) return null;
  return Math.max(0, ((run.endedAt ?? now) - run.startedAt) / 1000);
}

/** Binary units, as nvidia-smi and `du -h` report them. */
export function formatBytes(bytes: number | null | undefined): string {
  if (bytes == null || !Number.isFinite(bytes) || bytes < 0) return '—';
  const units = ['B', 'KiB', 'MiB', 'GiB', 'TiB'];
  let v = bytes;
  let i = 0;
  while (v >= 1024 && i < units.length - 1) {
    v /= 1024;
    i++;
  }
  return i === 0 ? `${v} B` : `${v < 10 ? v.toFixed(1) : Math.round(v)} ${units[i]}`;
}

export function formatMiB(mib: number | null | undefined): string {
  return mib == null ? '—' : formatBytes(mib * 1024 * 1024);
}

/** Compact throughput: 950, 1.2k, 34k, 1.5M (tokens/s spans 10 … 10^6 across GPUs and models). */
export function formatRate(perSec: number | null | undefined): string {
  if (perSec == null || !Number.isFinite(perSec) || perSec < 0) return '—';
  if (perSec < 1000) return perSec < 10 ? perSec.toFixed(1) : String(Math.round(perSec));
  if (perSec < 1_000_000) return `${(perSec / 1000).toFixed(perSec < 10_000 ? 1 : 0)}k`;
  return `${(perSec / 1_000_000).toFixed(1)}M`;
}

/** Losses: 4 significant digits is what people compare runs by; tiny values switch to exponent form. */
export function formatLoss(v: number | null | undefined): string {
  if (v == null || !Number.isFinite(v)) return '—';
  if (v !== 0 && Math.abs(v) < 1e-3) return v.toExponential(2);
  return Number(v.toPrecision(4)).toString();
}

/** Learning rates are small: always exponent form (2.0e-4), as in the YAML. */
export function formatLr(v: number | null | undefined): string {
  if (v == null || !Number.isFinite(v)) return '—';
  return v === 0 ? '0' : v.toExponential(1);
}

export function formatPercent(p: number | null | undefined): string {
  if (p == null || !Number.isFinite(p)) return '—';
  const clamped = Math.min(100, Math.max(0, p));
  return `${clamped < 10 && clamped > 0 ? clamped.toFixed(1) : Math.round(clamped)}%`;
}

export function formatEpoch(e: number | null | undefined): string {
  if (e == null || !Number.isFinite(e)) return '—';
  return Number(e.toFixed(2)).toString();
}

/** Date and time in the UI language's form; today's runs show the time only. */
export function formatStarted(ms: number | null | undefined, lang: 'en' | 'zh', now: number): string {
  if (ms == null) return '—';
  const d = new Date(ms);
  const sameDay = new Date(now).toDateString() === d.toDateString();
  const opts: Intl.DateTimeFormatOptions = sameDay
    ? { hour: '2-digit', minute: '2-digit' }
    : { month: 'short', day: 'numeric', hour: '2-digit', minute: '2-digit' };
  return new Intl.DateTimeFormat(localeOf(lang), opts).format(d);
}

/** "GPU 0, 1" style list; an empty placement means the run was started on the CPU. */
export function formatGpus(indices: readonly number[]): string | null {
  return indices.length ? indices.join(', ') : null;
}
