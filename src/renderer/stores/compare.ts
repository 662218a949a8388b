/** Compare state: the run table and its filter, selection, baseline, sort, curve options and the loaded curves. */
import { create } from 'zustand';
import { diffConfigs } from '../../shared/domain/configDiff.js';
import type { CompareFilter, CompareRow, CompareTable, CurveAxis, CurveMetric, CurveSeries, EvalDatasets, PredictDetail, SpotCheckDetail } from '../../shared/types/compare.js';
import type { Run } from '../../shared/types/run.js';
import { api } from '../api/client.js';
import { refCounted } from './sync.js';
import { followTopic } from './topics.js';
import { errorMessage } from '../i18n/errorMessage.js';

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
  /** The evaluation panel's data: per-example results by spot-check id, datasets and predict results by run id. */
  spotDetails: Record<string, SpotCheckDetail>;
  evalDatasets: Record<string, EvalDatasets>;
  predictions: Record<string, PredictDetail>;
  load(): Promise<void>;
  /**
   * Fetches the current rows of these runs and swaps them in: the other rows keep their identity, so only the changed
   * rows re-render. A run the table does not have yet (a new training run) reloads the table.
   */
  refreshRows(runIds: string[]): Promise<void>;
  setFilter(patch: Partial<CompareFilter>): void;
  toggleSelected(runId: string): void;
  setBaseline(runId: string | null): void;
  set(patch: Partial<Pick<CompareState, 'onlyDiffering' | 'groupBySweep' | 'sort' | 'axis' | 'smoothing' | 'logScale'>>): void;
  setMetric(m: CurveMetric): void;
  /** Opens a run for comparison: selected, and pinned as the baseline the others are read against. */
  focus(runId: string): void;
  /** force: refetch every selected run (its curve grew), else only the newly selected ones. */
  loadCurves(force?: boolean): Promise<void>;
  loadSpotDetail(id: string): Promise<void>;
  loadEvalDatasets(runId: string): Promise<void>;
  loadPredictions(runId: string): Promise<void>;
  /** Starts a spot-check of the run on a test file; its progress arrives through compare.changed. */
  spotCheck(runId: string, file: { content: string; fileName: string }, maxTokens?: number): Promise<void>;
  cancelSpotCheck(id: string): Promise<void>;
  /** Starts LLaMA-Factory predict on a dataset (none = the run's held-out split); the predict run it started. */
  predict(runId: string, opts: { evalDataset?: string; maxSamples?: number }): Promise<Run>;
  /** The table as CSV (the current filter and differing toggle). */
  exportCsv(): Promise<{ csv: string; fileName: string }>;
  /** A standalone HTML report of the selected runs with the current curve options. */
  exportHtml(): Promise<{ html: string; fileName: string }>;
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
  spotDetails: {},
  evalDatasets: {},
  predictions: {},
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
  async refreshRows(runIds) {
    const table = get().table;
    if (!table) return;
    const known = new Set(table.rows.map((r) => r.runId));
    const fresh = await api.call('compare.rows', { runIds }).catch(() => null);
    const now = get().table;
    if (!fresh || now !== table) return;
    if (fresh.some((r) => !known.has(r.runId))) return void get().load();
    set({ table: patchRows(now, fresh) });
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
  focus(runId) {
    const s = get().selected;
    // The compare view loads the curves when it opens.
    set({ selected: s.includes(runId) ? s : [...s, runId], baseline: runId });
  },
  setMetric(metric) {
    set({ metric });
    void get().loadCurves();
  },
  async loadSpotDetail(id) {
    const d = await api.call('compare.spotCheckDetail', { id }).catch(() => null);
    if (d) set((s) => ({ spotDetails: { ...s.spotDetails, [id]: d } }));
  },
  async loadEvalDatasets(runId) {
    const d = await api.call('compare.datasets', { runId }).catch(() => null);
    if (d) set((s) => ({ evalDatasets: { ...s.evalDatasets, [runId]: d } }));
  },
  async loadPredictions(runId) {
    const d = await api.call('compare.predictions', { runId, limit: 20 }).catch(() => null);
    if (d) set((s) => ({ predictions: { ...s.predictions, [runId]: d } }));
  },
  async spotCheck(runId, file, maxTokens) {
    await api.call('compare.spotCheck', { runId, content: file.content, fileName: file.fileName, ...(maxTokens && maxTokens > 0 ? { maxTokens } : {}) });
  },
  async cancelSpotCheck(id) {
    await api.call('compare.cancelSpotCheck', { id });
  },
  predict(runId, opts) {
    return api.call('compare.predict', { runId, ...opts });
  },
  exportCsv() {
    const { filter, onlyDiffering } = get();
    return api.call('compare.exportCsv', { ...(Object.keys(filter).length ? { filter } : {}), onlyDiffering });
  },
  exportHtml() {
    const { selected, onlyDiffering, axis, smoothing, logScale } = get();
    return api.call('compare.exportHtml', { runIds: selected, onlyDiffering, axis, smoothing, logScale });
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

/** The table with these rows replaced (others untouched) and its differing keys recomputed by the shared rule. */
export function patchRows(table: CompareTable, fresh: readonly CompareRow[]): CompareTable {
  const byId = new Map(fresh.map((r) => [r.runId, r]));
  const rows = table.rows.map((r) => byId.get(r.runId) ?? r);
  const { keys, differing } = diffConfigs(
    rows.filter((r) => !r.configError).map((r) => r.config),
    table.defaults,
  );
  return { ...table, rows, configKeys: keys, differingKeys: differing };
}

/**
 * Keeps the table fresh: a run that changes (progress, status, an evaluation) has its row refetched, batched every
 * second — not the whole table. Curves of selected runs that changed are refreshed too.
 */
function subscribeAll(): () => void {
  let timer: ReturnType<typeof setTimeout> | null = null;
  const dirty = new Set<string>();
  const later = (runId: string) => {
    dirty.add(runId);
    timer ??= setTimeout(() => {
      timer = null;
      const ids = [...dirty].slice(0, 200);
      dirty.clear();
      const s = useCompare.getState();
      void s.refreshRows(ids);
      // Running runs grow: refresh the shown curves too (the engine answers unchanged ones from its cache).
      if (ids.some((id) => s.selected.includes(id))) void s.loadCurves(true);
    }, 1000);
  };
  const offRuns = followTopic('runs.changed', {}, (run) => {
    if (run.kind === 'train') later(run.id);
    else if (run.parentRunId) later(run.parentRunId);
  });
  const offCmp = followTopic('compare.changed', {}, (c) => later(c.runId));
  return () => {
    offRuns();
    offCmp();
    if (timer) clearTimeout(timer);
  };
}

/** main.tsx keeps it for the app's lifetime; the compare view may start it too without a second set of refetches. */
export const startCompareSync = refCounted(subscribeAll);
