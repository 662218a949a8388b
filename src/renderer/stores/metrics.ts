/** Run metrics: per run, the downsampled history from runs.metrics merged with live points of the runs.metrics topic, followed while any view shows the run (one subscription per run). */
import { create } from 'zustand';
import type { MetricPoint } from '../../shared/types/run.js';
import { api } from '../api/client.js';
import { mergePoints } from '../features/runs/metricMath.js';
import { errorMessage } from '../i18n/errorMessage.js';
import { reloadOnReconnect } from './sync.js';
import { followTopic } from './topics.js';
import { sharedByKey } from './shared.js';

/** The engine downsamples the history (LTTB, keeping every eval point) to this; the chart cuts again to its width. */
const LOAD_POINTS = 4000;
/** Past this many held points (a days-long live run), fold the history back to LOAD_POINTS by asking again. */
const REFOLD_AT = 20_000;

export interface RunMetrics {
  points: MetricPoint[];
  loading: boolean;
  error: string | null;
}

export const LOADING_METRICS: RunMetrics = { points: [], loading: true, error: null };

interface MetricsState {
  byRun: Record<string, RunMetrics>;
}

export const useMetrics = create<MetricsState>(() => ({ byRun: {} }));

const put = (runId: string, next: (cur: RunMetrics) => RunMetrics) =>
  useMetrics.setState((s) => ({ byRun: { ...s.byRun, [runId]: next(s.byRun[runId] ?? LOADING_METRICS) } }));

const follows = sharedByKey();

function open(runId: string): () => void {
  let closed = false;
  // Live points that arrive before the history answers are kept and merged in, not lost.
  let early: MetricPoint[] | null = [];
  // Roughly how many points we hold (duplicates included): decides when to fold the history back.
  let held = 0;
  let seq = 0;
  const load = () => {
    const mine = ++seq;
    return api.call('runs.metrics', { id: runId, maxPoints: LOAD_POINTS }).then(
      (history) => {
        if (closed || mine !== seq) return;
        const pending = early ?? [];
        early = null;
        held = history.length + pending.length;
        put(runId, () => ({ points: mergePoints(history, pending), loading: false, error: null }));
      },
      (e) => !closed && mine === seq && put(runId, (s) => ({ ...s, loading: false, error: errorMessage(e) })),
    );
  };
  const off = followTopic('runs.metrics', { id: runId }, (evt) => {
    if (evt.reset) {
      // The engine switched sources (console lines → trainer_log.jsonl): start over from what it now has.
      early = [];
      void load();
      return;
    }
    if (early) {
      early.push(...evt.points);
      return;
    }
    held += evt.points.length;
    if (held > REFOLD_AT) {
      early = [...evt.points];
      held = 0;
      void load();
      return;
    }
    put(runId, (s) => ({ ...s, points: mergePoints(s.points, evt.points) }));
  });
  void load();
  // Points written while we were disconnected never come as events: fetch the history again after a reconnect.
  const offConn = reloadOnReconnect(() => {
    early = [];
    void load();
  });
  return () => {
    closed = true;
    off();
    offConn();
    // Nobody shows this run now: drop its points (the next view loads them fresh, as it always did).
    useMetrics.setState((s) => {
      const byRun = { ...s.byRun };
      delete byRun[runId];
      return { byRun };
    });
  };
}

/** Follows a run's metrics until the returned function is called; reference-counted per run. */
export function followRunMetrics(runId: string): () => void {
  return follows(runId, () => open(runId));
}
