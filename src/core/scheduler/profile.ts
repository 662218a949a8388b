/** What the planner assumes about a job it has no history for: compute share, start-up time and length, all conservative. */
import { msg, type Message } from '../../shared/messages/message.js';

/** Forecasts treat a job of unknown length as this long (it never counts as short enough to fill a reserved gap). */
export const UNKNOWN_WORK_S = 3600;

/**
 * Share of a card's compute a job uses alone, when no run of it (or of its model + method) was measured: from the
 * memory estimate relative to the card. A model that needs a small part of a big card leaves most of its SMs idle
 * (test/fixtures/recorded/h200-concurrency: a 1.8 GB LoRA job used about a fifth of an H200), but we assume at least a
 * quarter so that unknown jobs are not over-packed; a job that fills half the card or more is taken to saturate it.
 */
export function defaultUtil(needMiB: number | null, totalMiB: number | null): number {
  if (needMiB === null || totalMiB === null || totalMiB <= 0) return 1;
  return Math.min(1, Math.max(0.25, (2 * needMiB) / totalMiB));
}

/**
 * Seconds from launch to the first training step when none was measured: Python and library imports, then reading the
 * weights (1–5 minutes for real models; about 20 s for the tiny model in the H200 fixture, whose `wall_ms` minus the
 * trainer's own `wall_s` is the start-up).
 */
export function defaultStartupS(needMiB: number | null): number {
  if (needMiB === null) return 180;
  return Math.min(300, Math.max(60, 60 + (needMiB / 1024) * 2));
}

/** A length as people read it in a waiting reason: "under a minute", "about 25 min", "about 2.5 h". */
export function about(seconds: number): Message {
  if (!Number.isFinite(seconds)) return msg('scheduler.when.unknownLength');
  if (seconds < 60) return msg('scheduler.when.underMinute');
  const m = Math.round(seconds / 60);
  return m < 120 ? msg('scheduler.when.minutes', { m }) : msg('scheduler.when.hours', { h: (m / 60).toFixed(1) });
}

/** A moment from now as people read it: "within a minute", "in about 25 min". */
export const inAbout = (seconds: number): Message =>
  seconds < 60 ? msg('scheduler.when.withinMinute') : Number.isFinite(seconds) ? msg('scheduler.when.in', { length: about(seconds) }) : msg('scheduler.when.unknownTime');
