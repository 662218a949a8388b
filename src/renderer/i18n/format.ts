/** Locale-dependent forms, one place: the UI language's locale for dates and times, and the language-neutral duration clock. */
import type { Language } from './index.js';

/** en-GB rather than en-US: a 24-hour clock and day-month order read unambiguously to every English reader. */
export function localeOf(lang: Language): string {
  return lang === 'zh' ? 'zh-CN' : 'en-GB';
}

/** A time of day (chart tooltips, history axes) in the UI language, never the browser's. */
export function formatClock(lang: Language, ms: number, seconds = false): string {
  return new Intl.DateTimeFormat(localeOf(lang), { hour: '2-digit', minute: '2-digit', ...(seconds ? { second: '2-digit' } : {}) }).format(new Date(ms));
}

/** Language-neutral clock form (H:MM:SS, M:SS): reads the same in English and Chinese, no unit words to translate. */
export function formatDuration(seconds: number | null | undefined): string {
  if (seconds == null || !Number.isFinite(seconds) || seconds < 0) return '—';
  const s = Math.round(seconds);
  const h = Math.floor(s / 3600);
  const m = Math.floor((s % 3600) / 60);
  const sec = s % 60;
  const pad = (n: number) => String(n).padStart(2, '0');
  return h > 0 ? `${h}:${pad(m)}:${pad(sec)}` : `${m}:${pad(sec)}`;
}
