/** Remote engines (Settings → Remote engines and the board's box groups): remotes.list / remotes.changed, add, remove, queue on a box. */
import { create } from 'zustand';
import type { RemoteBox } from '../../shared/types/remote.js';
import type { LaneId, QueueItem } from '../../shared/types/task.js';
import { api } from '../api/client.js';
import { followTopic } from './topics.js';
import { once, reloadOnReconnect } from './sync.js';

interface RemotesStore {
  boxes: RemoteBox[];
  loaded: boolean;
  set(boxes: RemoteBox[]): void;
  add(p: { name: string; url: string; token: string }): Promise<RemoteBox>;
  remove(id: string): Promise<void>;
  test(id: string): Promise<RemoteBox>;
  /** Sends a task of this engine to a box's lane (`<box>/gpu:<uuid>`); the item lives on that box from then on. */
  enqueue(taskId: string, lane: LaneId): Promise<QueueItem>;
  cancel(itemId: string): Promise<void>;
}

export const useRemotes = create<RemotesStore>((set) => ({
  boxes: [],
  loaded: false,
  set: (boxes) => set({ boxes, loaded: true }),
  add: (p) => api.call('remotes.add', p),
  async remove(id) {
    await api.call('remotes.remove', { id });
  },
  test: (id) => api.call('remotes.test', { id }),
  enqueue: (taskId, lane) => api.call('board.enqueue', { taskId, lane }),
  async cancel(itemId) {
    await api.call('board.cancel', { itemId });
  },
}));

function subscribeAll(): () => void {
  const load = () =>
    void api
      .call('remotes.list', {})
      .then((b) => useRemotes.getState().set(b))
      .catch(() => undefined);
  load();
  const off = followTopic('remotes.changed', {}, (b) => useRemotes.getState().set(b));
  const offReconnect = reloadOnReconnect(load);
  return () => {
    off();
    offReconnect();
  };
}

/** Idempotent: main.tsx starts it once. */
export const startRemotesSync = once(subscribeAll);
