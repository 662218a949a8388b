/** Stored board state (tables `lanes`, `queue_items`): lanes' pause flags and every queue item in its lane order. */
import { asMessage, type Message } from '../../shared/messages/message.js';
import type { LaneId, QueueItem, QueueItemState } from '../../shared/types/task.js';
import type { Db } from './db.js';

interface Raw {
  id: string;
  task_id: string;
  lane: string;
  gpu_count: number;
  gpu_uuids: string;
  position: number;
  state: string;
  note: string | null;
  run_id: string | null;
  created_at: number;
  attempts: number;
  need_mib: number | null;
  slurm: string | null;
}

const fromRaw = (r: Raw): QueueItem => ({
  id: r.id,
  taskId: r.task_id,
  lane: r.lane as LaneId,
  gpuCount: r.gpu_count,
  gpuUuids: parseList(r.gpu_uuids),
  position: r.position,
  state: r.state as QueueItemState,
  ...readNote(r.note),
  runId: r.run_id,
  createdAt: r.created_at,
  attempts: r.attempts,
  needMiB: r.need_mib,
  slurm: r.slurm ? parseObject(r.slurm) : null,
});

function parseObject(s: string): QueueItem['slurm'] {
  try {
    const v = JSON.parse(s) as unknown;
    return v && typeof v === 'object' && !Array.isArray(v) ? (v as QueueItem['slurm']) : null;
  } catch {
    return null;
  }
}

/** A note is stored as its Message's JSON; older rows hold plain English, shown as written. */
function readNote(s: string | null): Pick<QueueItem, 'note' | 'noteSaid'> {
  if (s === null) return { note: null };
  let said = asMessage(s);
  if (s.startsWith('{')) {
    try {
      said = asMessage(JSON.parse(s));
    } catch {
      // Not JSON after all: plain text that begins with a brace.
    }
  }
  return { note: said.text, noteSaid: said };
}

const writeNote = (note: string | Message | null): string | null => (note === null || typeof note === 'string' ? note : JSON.stringify(note));

function parseList(s: string): string[] {
  try {
    const v = JSON.parse(s) as unknown;
    return Array.isArray(v) ? v.map(String) : [];
  } catch {
    return [];
  }
}

export function createBoardRepo(db: Db) {
  const lanes = db.prepare<{ id: string; paused: number }>('SELECT id, paused FROM lanes ORDER BY id');
  const setPaused = db.prepare('INSERT INTO lanes (id, paused) VALUES (?, ?) ON CONFLICT(id) DO UPDATE SET paused = excluded.paused');
  const items = db.prepare<Raw>("SELECT * FROM queue_items WHERE state IN ('queued','running') ORDER BY lane, position, created_at");
  const one = db.prepare<Raw>('SELECT * FROM queue_items WHERE id = ?');
  const byRun = db.prepare<Raw>('SELECT * FROM queue_items WHERE run_id = ? ORDER BY created_at DESC LIMIT 1');
  const laneQueued = db.prepare<Raw>("SELECT * FROM queue_items WHERE lane = ? AND state = 'queued' ORDER BY position, created_at");
  const insert = db.prepare(
    `INSERT INTO queue_items (id, task_id, lane, gpu_count, gpu_uuids, position, state, note, run_id, created_at, attempts, need_mib, slurm)
     VALUES (@id, @taskId, @lane, @gpuCount, @gpuUuids, @position, @state, @note, @runId, @createdAt, @attempts, @needMiB, @slurm)`,
  );
  const setPos = db.prepare('UPDATE queue_items SET lane = ?, position = ? WHERE id = ?');
  const setState = db.prepare('UPDATE queue_items SET state = ?, run_id = ?, note = ?, need_mib = ? WHERE id = ?');
  const setNote = db.prepare('UPDATE queue_items SET note = ? WHERE id = ?');

  return {
    lanes: () => lanes.all().map((l) => ({ id: l.id as LaneId, paused: l.paused === 1 })),
    setPaused: (lane: LaneId, paused: boolean) => void setPaused.run(lane, paused ? 1 : 0),
    /** Queued and running items (finished ones stay in the table for history but are not on the board). */
    active: (): QueueItem[] => items.all().map(fromRaw),
    get: (id: string): QueueItem | null => {
      const r = one.get(id);
      return r ? fromRaw(r) : null;
    },
    byRun: (runId: string): QueueItem | null => {
      const r = byRun.get(runId);
      return r ? fromRaw(r) : null;
    },
    queuedIn: (lane: LaneId): QueueItem[] => laneQueued.all(lane).map(fromRaw),
    insert: (item: QueueItem) =>
      void insert.run({ ...item, note: writeNote(item.noteSaid ?? item.note), gpuUuids: JSON.stringify(item.gpuUuids), attempts: item.attempts ?? 0, needMiB: item.needMiB ?? null, slurm: item.slurm ? JSON.stringify(item.slurm) : null }),
    /** Rewrites a lane's queued order as 0,1,2… in one transaction. */
    reorder: db.transaction((lane: LaneId, ids: string[]) => {
      ids.forEach((id, i) => setPos.run(lane, i, id));
    }),
    setState: (id: string, state: QueueItemState, runId: string | null, note: string | Message | null, needMiB: number | null) =>
      void setState.run(state, runId, writeNote(note), needMiB, id),
    setNote: (id: string, note: string | Message | null) => void setNote.run(writeNote(note), id),
    transaction: <A extends unknown[], R>(fn: (...a: A) => R) => db.transaction(fn),
  };
}

export type BoardRepo = ReturnType<typeof createBoardRepo>;
