/** The desktop's own small state in the data folder (desktop.json): window bounds, and whether the close notice was shown. */
import { closeSync, fstatSync, openSync, readSync, renameSync, writeFileSync } from 'node:fs';
import { join } from 'node:path';
import { logger } from '../core/log/logger.js';

const log = logger('desktop');

export interface Rect {
  x: number;
  y: number;
  width: number;
  height: number;
}

export interface DesktopState {
  window: (Rect & { maximized: boolean }) | null;
  /** "Runs keep training after you close the window" is said once. */
  closeNoticeShown: boolean;
}

const empty = (): DesktopState => ({ window: null, closeNoticeShown: false });
const isInt = (v: unknown): v is number => typeof v === 'number' && Number.isInteger(v) && Math.abs(v) < 100_000;

export const desktopStateFile = (dataDir: string) => join(dataDir, 'desktop.json');

/** Reads desktop.json; anything missing, unreadable or odd falls back to defaults (it only holds conveniences). */
export function loadDesktopState(file: string): DesktopState {
  let text: string;
  try {
    const fd = openSync(file, 'r');
    try {
      if (!fstatSync(fd).isFile()) return empty();
      // A few hundred bytes when written by us: read at most 64 KB.
      const buf = Buffer.alloc(Math.min(fstatSync(fd).size, 65_536));
      readSync(fd, buf, 0, buf.length, 0);
      text = buf.toString('utf8');
    } finally {
      closeSync(fd);
    }
  } catch {
    return empty();
  }
  try {
    const raw = JSON.parse(text) as { window?: Partial<Rect & { maximized: unknown }>; closeNoticeShown?: unknown };
    const w = raw.window;
    const window =
      w && isInt(w.x) && isInt(w.y) && isInt(w.width) && isInt(w.height) && w.width > 0 && w.height > 0
        ? { x: w.x, y: w.y, width: w.width, height: w.height, maximized: w.maximized === true }
        : null;
    return { window, closeNoticeShown: raw.closeNoticeShown === true };
  } catch {
    return empty();
  }
}

export function saveDesktopState(file: string, state: DesktopState): void {
  const tmp = `${file}.tmp-${process.pid}`;
  try {
    writeFileSync(tmp, JSON.stringify(state, null, 2) + '\n');
    renameSync(tmp, file);
  } catch (e) {
    // A full disk costs the remembered window position, nothing more.
    log.warn('could not save desktop.json', e);
  }
}

/**
 * The saved bounds when enough of the window (a 120×60 corner of its title bar) is on one of the screens now
 * attached, shrunk to fit that screen; else null (the window opens centred): a window restored onto a monitor that
 * was unplugged would be invisible.
 */
export function visibleBounds(saved: Rect, workAreas: Rect[]): Rect | null {
  const overlap = (a: Rect, b: Rect) =>
    Math.max(0, Math.min(a.x + a.width, b.x + b.width) - Math.max(a.x, b.x)) * Math.max(0, Math.min(a.y + a.height, b.y + b.height) - Math.max(a.y, b.y));
  const titleBar = { x: saved.x, y: saved.y, width: Math.min(saved.width, 120), height: Math.min(saved.height, 60) };
  const area = workAreas.find((a) => overlap(titleBar, a) >= titleBar.width * titleBar.height * 0.5);
  if (!area) return null;
  const width = Math.min(saved.width, area.width);
  const height = Math.min(saved.height, area.height);
  return {
    x: Math.min(Math.max(saved.x, area.x), area.x + area.width - width),
    y: Math.min(Math.max(saved.y, area.y), area.y + area.height - height),
    width,
    height,
  };
}
