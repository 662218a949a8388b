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
  loadCurves(): Promise<void>;
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
  async loadCurves() {
    const { selected, metric } = get();
    if (!selected.length) return set({ curves: [], curvesError: null });
    try {
      const curves = await api.call('compare.curves', { runIds: selected.slice(0, 50), metric, maxPoints: 1500 });
      if (get().metric === metric) set({ curves, curvesError: null });
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
