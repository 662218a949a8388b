/** Runs store: every run by id, kept fresh by `runs.changed`, and the user's actions on runs (no terminal bytes here). */
import { isActiveStatus } from '../../shared/domain/runState.js';
import { useEffect } from 'react';
import { create } from 'zustand';
import type { Run } from '../../shared/types/run.js';
import { api } from '../api/client.js';
import { followTopic } from './topics.js';
import { errorMessage } from '../i18n/errorMessage.js';
import { reloadOnReconnect } from './sync.js';

interface RunsState {
  runs: Record<string, Run>;
  loaded: boolean;
  /** Why the last full load failed (shown in the list instead of an empty table). */
  loadError: string | null;
  load(): Promise<void>;
  /** Fetches one run the list may not hold yet (a deep link #/runs/<id> opened before the list loaded). */
  fetchOne(id: string): Promise<Run>;
  upsert(run: Run): void;
  stop(id: string): Promise<void>;
  restart(id: string, resume: boolean): Promise<Run>;
  retry(id: string): Promise<void>;
  update(id: string, patch: { notes?: string; tags?: string[] }): Promise<void>;
  /** checkpoint-<step> folders of finished runs (what Resume and Chat can start from), by run id. */
  checkpoints: Record<string, string[]>;
  loadCheckpoints(id: string): Promise<void>;
}

export const useRuns = create<RunsState>((set, get) => ({
  runs: {},
  loaded: false,
  loadError: null,
  async load() {
    try {
      // Every kind (training, evaluations, chat servers): the list shows each under its own tab.
      const list = await api.call('runs.list', { includeApi: true });
      set({ runs: Object.fromEntries(list.map((r) => [r.id, r])), loaded: true, loadError: null });
    } catch (e) {
      set({ loaded: true, loadError: errorMessage(e) });
    }
  },
  async fetchOne(id) {
    const run = await api.call('runs.get', { id });
    get().upsert(run);
    return run;
  },
  upsert(run) {
    set((s) => ({ runs: { ...s.runs, [run.id]: run } }));
  },
  async stop(id) {
    get().upsert(await api.call('runs.stop', { id }));
  },
  async restart(id, resume) {
    const run = await api.call('runs.restart', { id, resume });
    get().upsert(run);
    return run;
  },
  async retry(id) {
    // The board puts the run's task back in its lane; the new run arrives through runs.changed.
    await api.call('board.retry', { runId: id });
  },
  async update(id, patch) {
    get().upsert(await api.call('runs.update', { id, ...patch }));
  },
  checkpoints: {},
  async loadCheckpoints(id) {
    const list = await api.call('runs.checkpoints', { id }).catch(() => [] as string[]);
    set((s) => ({ checkpoints: { ...s.checkpoints, [id]: list } }));
  },
}));

/** The run's checkpoints, loaded when it is not running (a live run's list changes; it is read again once it ends). */
export function useCheckpoints(run: Pick<Run, 'id' | 'status'>): string[] | null {
  const list = useRuns((s) => s.checkpoints[run.id] ?? null);
  const live = isActiveStatus(run.status);
  useEffect(() => {
    if (!live) void useRuns.getState().loadCheckpoints(run.id);
  }, [run.id, live]);
  return list;
}

let users = 0;
let stopSync: (() => void) | null = null;

/**
 * Loads the list and follows `runs.changed`. Reference-counted so any view (runs, board, compare) can call it on mount.
 * The subscription re-sends itself after a reconnect; runs that changed while we were away are caught by reloading the
 * list on every reconnect.
 */
export function startRunsSync(): () => void {
  users++;
  if (!stopSync) {
    void useRuns.getState().load();
    const offChanged = followTopic('runs.changed', {}, (run) => useRuns.getState().upsert(run));
    const offConn = reloadOnReconnect(() => void useRuns.getState().load());
    stopSync = () => {
      offChanged();
      offConn();
    };
  }
  let released = false;
  return () => {
    if (released) return;
    released = true;
    if (--users === 0) {
      stopSync?.();
      stopSync = null;
    }
  };
}
