/** Dates and times follow the UI language, not the browser's locale; durations are one clock form in every view. */
import { describe, expect, it } from 'vitest';
import { formatClock, formatDuration, localeOf } from '../../src/renderer/i18n/format.js';
import { formatStarted } from '../../src/renderer/features/runs/format.js';

const at = Date.UTC(2026, 11, 2, 14, 5, 9);

describe('locale forms', () => {
  it('words dates in the UI language', () => {
    expect(localeOf('zh')).toBe('zh-CN');
    const yesterday = at + 86_400_000 * 3;
    expect(formatStarted(at, 'zh', yesterday)).toMatch(/12月2日/);
    expect(formatStarted(at, 'en', yesterday)).toMatch(/2 Dec/);
  });

  it('shows times on a 24-hour clock in both languages, whatever the browser prefers', () => {
    for (const lang of ['en', 'zh'] as const) expect(formatClock(lang, at, true)).toMatch(/^\d\d:\d\d:\d\d$/);
  });

  it('has one duration form for the run list, the run page and Compare', () => {
    expect(formatDuration(3_725)).toBe('1:02:05');
    expect(formatDuration(65)).toBe('1:05');
    expect(formatDuration(null)).toBe('—');
  });
});
