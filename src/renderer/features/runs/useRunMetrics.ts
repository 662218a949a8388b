/** A run's metric points: the downsampled history from runs.metrics, then live points from the runs.metrics topic. */
import { useEffect, useState } from 'react';
import type { MetricPoint } from '../../../shared/types/run.js';
import { api, errorMessage } from '../../api/client.js';
import { useConnection } from '../../stores/connection.js';
import { mergePoints } from './metricMath.js';

/** The engine downsamples the history (LTTB, keeping every eval point) to this; the chart cuts again to its width. */
const LOAD_POINTS = 4000;
/** Past this many held points (a days-long live run), fold the history back to LOAD_POINTS by asking again. */
const REFOLD_AT = 20_000;

export interface RunMetrics {
  points: MetricPoint[];
  loading: boolean;
  error: string | null;
}

export function useRunMetrics(runId: string): RunMetrics {
  const [state, setState] = useState<RunMetrics>({ points: [], loading: true, error: null });

  useEffect(() => {
    let cancelled = false;
    // Live points that arrive before the history answers are kept and merged in, not lost.
    let early: MetricPoint[] | null = [];
    // Roughly how many points we hold (duplicates included): decides when to fold the history back.
    let held = 0;
    const load = () =>
      api.call('runs.metrics', { id: runId, maxPoints: LOAD_POINTS }).then(
        (history) => {
          if (cancelled) return;
          const pending = early ?? [];
          early = null;
          held = history.length + pending.length;
          setState({ points: mergePoints(history, pending), loading: false, error: null });
        },
        (e) => !cancelled && setState((s) => ({ ...s, loading: false, error: errorMessage(e) })),
      );
    const off = api.subscribe('runs.metrics', { id: runId }, (evt) => {
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
      setState((s) => ({ ...s, points: mergePoints(s.points, evt.points) }));
    });
    void load();
    // Points written while we were disconnected never come as events: fetch the history again after a reconnect.
    const offConn = useConnection.subscribe((c, prev) => {
      if (c.status === 'connected' && prev.status !== 'connected') {
        early = [];
        void load();
      }
    });
    return () => {
      cancelled = true;
      off();
      offConn();
    };
  }, [runId]);

  return state;
}
