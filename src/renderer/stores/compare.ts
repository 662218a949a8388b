/** Compare state: the run table and its filter, selection, baseline, sort, curve options and the loaded curves. */
import { create } from 'zustand';
import type { CompareFilter, CompareTable, CurveAxis, CurveMetric, CurveSeries } from '../../shared/types/compare.js';
import { api, errorMessage } from '../api/client.js';

export type SortDir = 'asc' | 'desc';

interface CompareState {
  table: CompareTable | null;
  loading: boolean;
  error: string | null;
  filter: CompareFilter;
  selected: string[];
  baseline: string | null;
  onlyDiffering: boolean;
  groupBySweep: boolean;
  sort: { key: string; dir: SortDir } | null;
  metric: CurveMetric;
  axis: CurveAxis;
  smoothing: number;
  logScale: boolean;
  curves: CurveSeries[];
  curvesError: string | null;
  load(): Promise<void>;
  setFilter(patch: Partial<CompareFilter>): void;
  toggleSelected(runId: string): void;
  setBaseline(runId: string | null): void;
  set(patch: Partial<Pick<CompareState, 'onlyDiffering' | 'groupBySweep' | 'sort' | 'axis' | 'smoothing' | 'logScale'>>): void;
  setMetric(m: CurveMetric): void;
  /** force: refetch every selected run (its curve grew), else only the newly selected ones. */
  loadCurves(force?: boolean): Promise<void>;
}

let loadSeq = 0;

export const useCompare = create<CompareState>((set, get) => ({
  table: null,
  loading: false,
  error: null,
  filter: {},
  selected: [],
  baseline: null,
  onlyDiffering: true,
  groupBySweep: false,
  sort: null,
  metric: 'loss',
  axis: 'step',
  smoothing: 0.6,
  logScale: false,
  curves: [],
  curvesError: null,
  async load() {
    const seq = ++loadSeq;
    set({ loading: true });
    try {
      const filter = get().filter;
      const table = await api.call('compare.table', Object.keys(filter).length ? { filter } : {});
      // A slower, older request must not overwrite a newer filter's answer.
      if (seq === loadSeq) set({ table, loading: false, error: null });
    } catch (e) {
      if (seq === loadSeq) set({ loading: false, error: errorMessage(e) });
    }
  },
  setFilter(patch) {
    const filter = { ...get().filter, ...patch };
    for (const k of Object.keys(filter) as (keyof CompareFilter)[]) {
      const v = filter[k];
      if (v === undefined || v === '' || (Array.isArray(v) && !v.length)) delete filter[k];
    }
    set({ filter });
    void get().load();
  },
  toggleSelected(runId) {
    const s = get().selected;
    set({ selected: s.includes(runId) ? s.filter((x) => x !== runId) : [...s, runId] });
    void get().loadCurves();
  },
  setBaseline(runId) {
    set({ baseline: runId });
  },
  set(patch) {
    set(patch);
  },
  setMetric(metric) {
    set({ metric });
    void get().loadCurves();
  },
  async loadCurves(force = false) {
    const { selected, metric, curves } = get();
    if (!selected.length) return set({ curves: [], curvesError: null });
    // Ticking one more run fetches that run only; the others are already here for this metric.
    const have = force ? [] : curves.filter((c) => c.metric === metric && selected.includes(c.runId));
    const missing = selected.filter((id) => !have.some((c) => c.runId === id)).slice(0, 50);
    if (!missing.length) return set({ curves: have });
    try {
      const fresh = await api.call('compare.curves', { runIds: missing, metric, maxPoints: 1500 });
      const now = get();
      if (now.metric !== metric) return;
      const all = [...have, ...fresh];
      set({ curves: now.selected.flatMap((id) => all.filter((c) => c.runId === id)), curvesError: null });
    } catch (e) {
      set({ curvesError: errorMessage(e) });
    }
  },
}));

/** Keeps the table fresh: refetch on run changes and evaluation progress, at most every 1.5 s. */
export function startCompareSync(): () => void {
  let timer: ReturnType<typeof setTimeout> | null = null;
  const later = () => {
    timer ??= setTimeout(() => {
      timer = null;
      void useCompare.getState().load();
      // Running runs grow: refresh the shown curves too (the engine answers unchanged ones from its cache).
      void useCompare.getState().loadCurves(true);
    }, 1500);
  };
  const offRuns = api.subscribe('runs.changed', {}, later);
  const offCmp = api.subscribe('compare.changed', {}, later);
  return () => {
    offRuns();
    offCmp();
    if (timer) clearTimeout(timer);
  };
}
