/** Connection state to the engine: drives the status dot and the "engine unreachable / wrong token" screen. */
import { create } from 'zustand';

export type ConnectionStatus = 'connecting' | 'connected' | 'reconnecting' | 'unreachable' | 'unauthorized';

interface ConnectionState {
  status: ConnectionStatus;
  detail: string | null;
  /** ms since epoch of the last successful connect. */
  since: number | null;
  /**
   * Why the last attempt failed, kept through the retries that follow: the blocked screen (and what the person types
   * into it) must not flicker away while a retry is under way. Cleared once connected.
   */
  failure: 'unreachable' | 'unauthorized' | null;
  set(status: ConnectionStatus, detail?: string | null): void;
}

export const useConnection = create<ConnectionState>((set) => ({
  status: 'connecting',
  detail: null,
  since: null,
  failure: null,
  set: (status, detail = null) =>
    set((s) => ({
      status,
      detail,
      since: status === 'connected' ? Date.now() : s.since,
      failure: status === 'connected' ? null : status === 'unreachable' || status === 'unauthorized' ? status : s.failure,
    })),
}));
