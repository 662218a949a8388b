/** The taskbar shows how many runs train and wait: a launcher/dock badge, the window's progress bar and its title. */
import { isActiveStatus } from '../shared/domain/runState.js';
import { app, type BrowserWindow } from 'electron';
import type { Core } from '../core/createCore.js';
import type { Run } from '../shared/types/run.js';
import type { QueueItem } from '../shared/types/task.js';
import { messages } from './messages.js';
import { logger } from '../core/log/logger.js';

const log = logger('desktop');

export interface Activity {
  running: number;
  queued: number;
  /** Mean progress (0–1) of the training runs that report one, or null. */
  progress: number | null;
}

export function activityOf(runs: Run[], queue: QueueItem[]): Activity {
  const training = runs.filter((r) => r.kind !== 'api' && isActiveStatus(r.status));
  const percents = training.map((r) => r.progress?.percent).filter((p): p is number => typeof p === 'number');
  return {
    running: training.length,
    queued: queue.filter((q) => q.state === 'queued').length,
    progress: percents.length ? Math.min(1, Math.max(0, percents.reduce((a, b) => a + b, 0) / percents.length / 100)) : null,
  };
}

const call = { connectionId: 'main' };

export async function readActivity(core: Core): Promise<Activity> {
  const [runs, board] = await Promise.all([core.handlers['runs.list']({}, call), core.handlers['board.get']({}, call)]);
  // This machine's runs only: a remote engine's runs (`box` set) are that box's to count.
  return activityOf(runs.filter((r) => !r.box), board.queue);
}

/**
 * Keeps badge, progress bar and title current: on every run or board change (batched), and every few seconds while
 * something trains (progress moves without a status change). The badge shows on Unity-style launchers and the
 * macOS dock; the progress bar on most Linux docks; the title everywhere.
 */
export function trackActivity(core: Core, getWindow: () => BrowserWindow | null, onChange: (a: Activity) => void = () => undefined): () => void {
  let timer: NodeJS.Timeout | null = null;
  let last: Activity = { running: 0, queued: 0, progress: null };
  const apply = (a: Activity) => {
    last = a;
    app.setBadgeCount(a.running + a.queued);
    const win = getWindow();
    if (win && !win.isDestroyed()) {
      win.setProgressBar(a.running > 0 ? (a.progress ?? 0) : -1);
      win.setTitle(a.running + a.queued > 0 ? messages(core.ctx.settings().language).title(a.running, a.queued) : 'Trainyard');
    }
    onChange(a);
  };
  const refresh = () => {
    timer = null;
    readActivity(core).then(apply, (e: unknown) => log.warn('could not read the run counts', e));
  };
  const soon = () => void (timer ??= setTimeout(refresh, 250));
  const offRuns = core.ctx.bus.on('runs.changed', soon);
  const offBoard = core.ctx.bus.on('board.changed', soon);
  const tick = setInterval(() => last.running > 0 && soon(), 5000);
  refresh();
  return () => {
    offRuns();
    offBoard();
    clearInterval(tick);
    if (timer) clearTimeout(timer);
  };
}
