/** Connection state to the engine: drives the status dot and the "engine unreachable / wrong token" screen. */
import { create } from 'zustand';

export type ConnectionStatus = 'connecting' | 'connected' | 'reconnecting' | 'unreachable' | 'unauthorized';

interface ConnectionState {
  status: ConnectionStatus;
  detail: string | null;
  /** ms since epoch of the last successful connect. */
  since: number | null;
  set(status: ConnectionStatus, detail?: string | null): void;
}

export const useConnection = create<ConnectionState>((set) => ({
  status: 'connecting',
  detail: null,
  since: null,
  set: (status, detail = null) => set((s) => ({ status, detail, since: status === 'connected' ? Date.now() : s.since })),
}));
