/** Live terminal fan-out with xterm.js-style flow control: batched sends, per-viewer ack window, drop-and-replay for viewers that fall behind. */
import { StringDecoder } from 'node:string_decoder';

export interface HubLimits {
  batchMs: number;
  batchBytes: number;
  /** Unacknowledged characters after which a viewer is paused (its backlog dropped). */
  highWater: number;
  /** A paused viewer resumes (with a fresh replay) once its unacknowledged count falls to this. */
  lowWater: number;
}

export const DEFAULT_HUB_LIMITS: HubLimits = { batchMs: 16, batchBytes: 64 * 1024, highWater: 1024 * 1024, lowWater: 128 * 1024 };

interface Viewer {
  runId: string;
  send(data: { data: string; replay?: boolean }): void;
  pending: string[];
  pendingLen: number;
  unacked: number;
  paused: boolean;
  timer: NodeJS.Timeout | null;
  dropped: number;
}

/**
 * Counts are in UTF-16 code units of the `data` strings sent (what the renderer can measure without re-encoding):
 * the renderer acks `data.length` of each event once xterm has written it.
 */
export class TerminalHub {
  private viewers = new Map<string, Viewer>();
  private decoders = new Map<string, StringDecoder>();

  constructor(
    /** The screen of a run now: the tail of console.log up to the bytes already pushed here. */
    private snapshot: (runId: string) => string,
    private limits: HubLimits = DEFAULT_HUB_LIMITS,
  ) {}

  add(key: string, runId: string, send: Viewer['send']): void {
    this.remove(key);
    const v: Viewer = { runId, send, pending: [], pendingLen: 0, unacked: 0, paused: false, timer: null, dropped: 0 };
    this.viewers.set(key, v);
    this.replay(v);
  }

  remove(key: string): void {
    const v = this.viewers.get(key);
    if (v?.timer) clearTimeout(v.timer);
    this.viewers.delete(key);
  }

  /** The viewer has rendered `n` more characters. Returns false for an unknown viewer. */
  ack(key: string, n: number): boolean {
    const v = this.viewers.get(key);
    if (!v) return false;
    v.unacked = Math.max(0, v.unacked - n);
    if (v.paused && v.unacked <= this.limits.lowWater) {
      v.paused = false;
      // The file has every byte: instead of the dropped backlog, send the screen as it is now.
      this.replay(v);
    }
    return true;
  }

  stats(key: string): { unacked: number; paused: boolean; dropped: number } | null {
    const v = this.viewers.get(key);
    return v ? { unacked: v.unacked, paused: v.paused, dropped: v.dropped } : null;
  }

  hasViewers(runId: string): boolean {
    for (const v of this.viewers.values()) if (v.runId === runId) return true;
    return false;
  }

  /** Live bytes of a run (already in console.log). Decoded once per run, so a UTF-8 sequence split across reads survives. */
  push(runId: string, bytes: Buffer): void {
    if (!this.hasViewers(runId)) {
      // Nobody watches: nothing to decode (a viewer that comes starts from a replay of the file, and a fresh decoder).
      this.decoders.delete(runId);
      return;
    }
    let dec = this.decoders.get(runId);
    if (!dec) this.decoders.set(runId, (dec = new StringDecoder('utf8')));
    const text = dec.write(bytes);
    if (!text) return;
    for (const v of this.viewers.values()) {
      if (v.runId !== runId) continue;
      if (v.paused) {
        v.dropped += text.length;
        continue;
      }
      v.pending.push(text);
      v.pendingLen += text.length;
      if (v.pendingLen >= this.limits.batchBytes) this.flush(v);
      else if (!v.timer) v.timer = setTimeout(() => this.flush(v), this.limits.batchMs);
    }
  }

  /** Forget a run's decoder (after it ended or its holder connection was replaced). */
  resetRun(runId: string): void {
    this.decoders.delete(runId);
  }

  closeAll(): void {
    for (const key of [...this.viewers.keys()]) this.remove(key);
  }

  private replay(v: Viewer): void {
    if (v.timer) clearTimeout(v.timer);
    v.timer = null;
    v.pending = [];
    v.pendingLen = 0;
    const data = this.snapshot(v.runId);
    v.unacked += data.length;
    v.send({ data, replay: true });
  }

  private flush(v: Viewer): void {
    if (v.timer) clearTimeout(v.timer);
    v.timer = null;
    if (!v.pendingLen) return;
    const data = v.pending.join('');
    v.pending = [];
    v.pendingLen = 0;
    v.unacked += data.length;
    v.send({ data });
    if (v.unacked > this.limits.highWater) v.paused = true;
  }
}
