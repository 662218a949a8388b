/** GPU telemetry: the latest snapshot and a capped rolling history per card from the live stream (seeded from gpus.history). */
import { create } from 'zustand';
import type { GpuHistoryPoint, GpuSnapshot } from '../../shared/types/gpu.js';
import { api } from '../api/client.js';
import { errorMessage } from '../i18n/errorMessage.js';
import { followTopic } from './topics.js';
import { once } from './sync.js';
import { sharedByKey } from './shared.js';

/** ~5 minutes at the default 1 s sampling: enough for a sparkline, small enough to redraw every tick. */
export const HISTORY_WINDOW_MS = 5 * 60_000;
const HISTORY_CAP = 600;

interface GpusState {
  snapshot: GpuSnapshot | null;
  /** uuid → recent points, oldest first. */
  history: Record<string, GpuHistoryPoint[]>;
  /** Stored history over a range (a run's lifetime, a card's last hour), by watch key: one series per card asked for. */
  ranges: Record<string, HistoryRange>;
  apply(s: GpuSnapshot): void;
  seed(uuid: string, points: GpuHistoryPoint[]): void;
}

export interface HistoryRange {
  /** null until the first answer. */
  series: GpuHistoryPoint[][] | null;
  error: string | null;
}

/** What a view wants from gpus.history: these cards from `since` to `until` (null = now), asked again every `refreshMs` (0 = once). */
export interface HistoryQuery {
  uuids: string[];
  since: () => number;
  until: number | null;
  maxPoints: number;
  refreshMs: number;
}

const trim = (points: GpuHistoryPoint[], now: number) => {
  const from = now - HISTORY_WINDOW_MS;
  const kept = points.filter((p) => p.at >= from);
  return kept.length > HISTORY_CAP ? kept.slice(-HISTORY_CAP) : kept;
};

export const useGpus = create<GpusState>((set) => ({
  snapshot: null,
  history: {},
  ranges: {},
  apply(s) {
    set((st) => {
      // The engine's "detecting" placeholder carries no measurement.
      if (s.notice?.kind === 'detecting') return { snapshot: s };
      const history = { ...st.history };
      for (const g of s.gpus) {
        const prev = history[g.uuid] ?? [];
        if (prev.length && prev[prev.length - 1]!.at >= s.at) continue;
        const point = { at: s.at, memoryUsedMiB: g.memoryUsedMiB, utilizationGpuPct: g.utilizationGpuPct, temperatureC: g.temperatureC, powerDrawW: g.powerDrawW };
        history[g.uuid] = trim([...prev, point], s.at);
      }
      return { snapshot: s, history };
    });
  },
  seed(uuid, points) {
    set((st) => {
      const live = st.history[uuid] ?? [];
      const firstLive = live[0]?.at ?? Infinity;
      const merged = [...points.filter((p) => p.at < firstLive), ...live];
      return { history: { ...st.history, [uuid]: trim(merged, merged[merged.length - 1]?.at ?? Date.now()) } };
    });
  },
}));

const seeded = new Set<string>();

/** Subscribes to the snapshot stream (once, at app start); fills each new card's sparkline from stored history. */
function subscribeAll(): () => void {
  return followTopic('gpus.snapshot', {}, (s) => {
    useGpus.getState().apply(s);
    for (const g of s.gpus) {
      if (seeded.has(g.uuid)) continue;
      seeded.add(g.uuid);
      api
        .call('gpus.history', { uuid: g.uuid, since: Date.now() - HISTORY_WINDOW_MS, maxPoints: 300 })
        .then((points) => useGpus.getState().seed(g.uuid, points))
        // No stored history yet (fresh data folder): the live stream fills the sparkline.
        .catch(() => seeded.delete(g.uuid));
    }
  });
}

/** Idempotent: main.tsx and a view may both call it. */
export const startGpusSync = once(subscribeAll);

const historyWatches = sharedByKey();

/**
 * Keeps `ranges[key]` filled from gpus.history while any view watches it (reference-counted per key; the key names the
 * query, so a changed query is a new key). The last view to leave stops the refresh and drops the points.
 */
export function watchHistory(key: string, q: HistoryQuery): () => void {
  return historyWatches(key, () => {
    let closed = false;
    const put = (r: Partial<HistoryRange>) =>
      useGpus.setState((st) => ({ ranges: { ...st.ranges, [key]: { ...(st.ranges[key] ?? { series: null, error: null }), ...r } } }));
    const load = async () => {
      try {
        const until = q.until ?? Date.now();
        const series = await Promise.all(q.uuids.map((uuid) => api.call('gpus.history', { uuid, since: q.since(), until, maxPoints: q.maxPoints })));
        if (!closed) put({ series, error: null });
      } catch (e) {
        if (!closed) put({ error: errorMessage(e) });
      }
    };
    void load();
    const timer = q.refreshMs > 0 ? setInterval(() => void load(), q.refreshMs) : null;
    return () => {
      closed = true;
      if (timer) clearInterval(timer);
      useGpus.setState((st) => {
        const ranges = { ...st.ranges };
        delete ranges[key];
        return { ranges };
      });
    };
  });
}
