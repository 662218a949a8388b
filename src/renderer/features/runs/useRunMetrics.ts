/** A run's metric points for a view: the metrics store follows the run while the view is mounted and the view reads it by selector. */
import { useEffect } from 'react';
import { followRunMetrics, LOADING_METRICS, useMetrics, type RunMetrics } from '../../stores/metrics.js';

export type { RunMetrics } from '../../stores/metrics.js';

export function useRunMetrics(runId: string): RunMetrics {
  useEffect(() => followRunMetrics(runId), [runId]);
  return useMetrics((s) => s.byRun[runId] ?? LOADING_METRICS);
}
