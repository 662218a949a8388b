/** Board state: lanes and queue from board.get / board.changed, card multi-selection, what is being dragged, and cached fit checks. */
import { create } from 'zustand';
import type { BoardState, FitCheck } from '../../shared/contract/tasks.js';
import type { LaneId, QueueItem } from '../../shared/types/task.js';
import { api } from '../api/client.js';
import { followTopic } from './topics.js';
import { errorMessage } from '../i18n/errorMessage.js';
import { fitKey } from '../features/board/boardLogic.js';
import { once, reloadOnReconnect } from './sync.js';

/** What is being dragged inside the window (the DataTransfer cannot be read during dragover, only on drop). */
export type DragPayload = { kind: 'task'; taskId: string } | { kind: 'item'; itemId: string } | null;

export type FitEntry = { state: 'loading' } | { state: 'done'; at: number; fit: FitCheck } | { state: 'error'; at: number; message: string };

/** Free memory moves every second; an answer older than this is asked again. */
const FIT_TTL_MS = 3_000;
const FIT_DEBOUNCE_MS = 120;

interface BoardStore {
  board: BoardState;
  loaded: boolean;
  /** GPU uuids picked with shift/ctrl-click: a drop onto one of them enqueues one run over all of them. */
  selected: string[];
  drag: DragPayload;
  fits: Record<string, FitEntry>;
  /** The card whose detail panel is open. */
  detailUuid: string | null;
  load(): Promise<void>;
  setBoard(b: BoardState): void;
  toggleSelect(uuid: string): void;
  clearSelection(): void;
  setDrag(d: DragPayload): void;
  openDetail(uuid: string | null): void;
  /** Asks board.fit (debounced, cached per task × lane × extra GPUs); the answer lands in `fits`. */
  requestFit(taskId: string, lane: LaneId, gpuUuids?: string[]): void;
  /** Queues a task on a lane (a multi-GPU selection through `gpuUuids`); the board is read again so it shows at once. */
  enqueue(taskId: string, lane: LaneId, opts?: { gpuCount?: number; gpuUuids?: string[]; position?: number }): Promise<QueueItem>;
  /** Queue edits answer with the new board, shown at once (board.changed brings the same to other windows). */
  move(itemId: string, lane: LaneId, position: number): Promise<BoardState>;
  cancel(itemId: string): Promise<BoardState>;
  runNext(itemId: string): Promise<BoardState>;
  pauseLane(lane: LaneId, paused: boolean): Promise<BoardState>;
}

const timers = new Map<string, ReturnType<typeof setTimeout>>();
/** Fit questions on their way: dragover fires many times a second, and one question per key is enough. */
const asking = new Set<string>();

/** A queue edit's answer is the new board: show it now. */
async function shown(r: Promise<BoardState>): Promise<BoardState> {
  const b = await r;
  useBoard.getState().setBoard(b);
  return b;
}

export const useBoard = create<BoardStore>((set, get) => ({
  board: { lanes: [], queue: [] },
  loaded: false,
  selected: [],
  drag: null,
  fits: {},
  detailUuid: null,
  async load() {
    set({ board: await api.call('board.get', {}), loaded: true });
  },
  setBoard: (board) => set({ board, loaded: true }),
  async enqueue(taskId, lane, opts = {}) {
    const item = await api.call('board.enqueue', { taskId, lane, ...opts });
    // The answer is the item alone; read the board so it shows even before board.changed arrives.
    void get().load().catch(() => undefined);
    return item;
  },
  move: (itemId, lane, position) => shown(api.call('board.move', { itemId, lane, position })),
  cancel: (itemId) => shown(api.call('board.cancel', { itemId })),
  runNext: (itemId) => shown(api.call('board.runNext', { itemId })),
  pauseLane: (lane, paused) => shown(api.call('board.pauseLane', { lane, paused })),
  toggleSelect: (uuid) => set((s) => ({ selected: s.selected.includes(uuid) ? s.selected.filter((u) => u !== uuid) : [...s.selected, uuid] })),
  clearSelection: () => set({ selected: [] }),
  setDrag: (drag) => set({ drag }),
  openDetail: (detailUuid) => set({ detailUuid }),
  requestFit(taskId, lane, gpuUuids = []) {
    const key = fitKey(taskId, lane, gpuUuids);
    const cur = get().fits[key];
    if (asking.has(key) || timers.has(key)) return;
    if (cur && cur.state !== 'loading' && Date.now() - cur.at < FIT_TTL_MS) return;
    timers.set(
      key,
      setTimeout(() => {
        timers.delete(key);
        asking.add(key);
        // "Checking" only before the first answer: a verdict on screen stays while it is asked again (the answer
        // expires every few seconds and any board change makes it stale), so the hint does not flicker mid-drag.
        if (!get().fits[key]) set((s) => ({ fits: { ...s.fits, [key]: { state: 'loading' } } }));
        api
          .call('board.fit', gpuUuids.length ? { taskId, lane, gpuUuids } : { taskId, lane })
          .then((fit) => set((s) => ({ fits: { ...s.fits, [key]: { state: 'done', at: Date.now(), fit } } })))
          .catch((e) => set((s) => ({ fits: { ...s.fits, [key]: { state: 'error', at: Date.now(), message: errorMessage(e) } } })))
          .finally(() => asking.delete(key));
      }, FIT_DEBOUNCE_MS),
    );
  },
}));

function staled(fits: Record<string, FitEntry>): Record<string, FitEntry> {
  return Object.fromEntries(Object.entries(fits).map(([k, e]) => [k, e.state === 'loading' ? e : { ...e, at: 0 }]));
}

/** Loads the board and follows board.changed (call once at app start). A change makes the fit cache stale. */
function subscribeAll(): () => void {
  const load = () => void useBoard.getState().load().catch(() => undefined);
  load();
  const offConn = reloadOnReconnect(load);
  // A change makes every cached fit stale (asked again at the next dragover), not gone: the hint keeps its verdict.
  const off = followTopic('board.changed', {}, (b) => useBoard.setState((s) => ({ board: b, loaded: true, fits: staled(s.fits) })));
  return () => {
    offConn();
    off();
  };
}

/** Idempotent: main.tsx and a view may both call it. */
export const startBoardSync = once(subscribeAll);
