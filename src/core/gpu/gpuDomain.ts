/** GPU domain: runs the monitor, records history, and serves gpus.list, gpus.history and the gpus.snapshot stream. */
import type { gpuMethods, gpuTopics } from '../../shared/contract/gpus.js';
import { RpcError } from '../../shared/rpc/protocol.js';
import type { CoreContext } from '../context.js';
import type { Domain } from '../domain.js';
import { FULL_RESOLUTION_MS, createGpuHistoryRepo } from '../store/gpuHistoryRepo.js';
import { Monitor } from './monitor.js';
import { logger } from '../log/logger.js';

const log = logger('gpu');

export type { GpuMonitor, PidResolver } from './monitor.js';

/** Compaction is cheap (a few thousand rows a minute per GPU), every 5 minutes keeps the raw table near an hour. */
const COMPACT_EVERY_MS = 5 * 60_000;
const DEFAULT_MAX_POINTS = 1000;

export function createGpuDomain(
  ctx: CoreContext,
): Domain<typeof gpuMethods, typeof gpuTopics> & { monitor: Monitor; start(): Promise<void>; stop(): Promise<void> } {
  const monitor = new Monitor({ env: ctx.env, intervalMs: () => ctx.settings().telemetryIntervalMs ?? 1000 });
  const history = createGpuHistoryRepo(ctx.db);
  let unsubscribe: (() => void) | null = null;
  let compactTimer: NodeJS.Timeout | null = null;

  const compact = () => {
    try {
      history.compact();
    } catch (e) {
      log.error('history compaction failed', e);
    }
  };

  return {
    monitor,
    handlers: {
      'gpus.list': () => monitor.snapshot(),
      'gpus.history': ({ uuid, since, until, maxPoints }) => {
        const to = until ?? Date.now();
        const from = since ?? to - FULL_RESOLUTION_MS;
        if (from > to) throw new RpcError('bad_request', `"since" (${from}) is after "until" (${to}).`);
        return history.history(uuid, from, to, maxPoints ?? DEFAULT_MAX_POINTS);
      },
    },
    subscriptions: {
      'gpus.snapshot': (_p, send) => {
        // A page that follows the GPUs wants live figures: the monitor leaves its idle pace while one is open.
        monitor.viewer(1);
        send(monitor.snapshot());
        const off = ctx.bus.on('gpus.snapshot', send);
        return () => {
          off();
          monitor.viewer(-1);
        };
      },
    },
    async start() {
      unsubscribe = monitor.onSnapshot((s) => {
        ctx.bus.emit('gpus.snapshot', s);
        // The 'detecting' placeholder is not a measurement; everything else (CPU included) is history.
        if (s.notice?.kind === 'detecting') return;
        try {
          history.insertTick(s.at, s.gpus);
        } catch (e) {
          log.error('could not record a sample', e);
        }
      });
      compact();
      compactTimer = setInterval(compact, COMPACT_EVERY_MS);
      compactTimer.unref?.();
      await monitor.start();
    },
    async stop() {
      unsubscribe?.();
      if (compactTimer) clearInterval(compactTimer);
      await monitor.stop();
    },
  };
}
