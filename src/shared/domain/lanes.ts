/**
 * Lane ids, the one rule: `auto`, `gpu:<uuid>` for a local card, `slurm:<partition>` for a Slurm partition, and
 * `<box>/<lane>` for a lane of a remote engine (Settings → Remote engines), named as that engine's own board names it.
 */
import type { LaneId } from '../types/task.js';

/** Slurm partition names Trainyard accepts (Slurm's own are letters, digits, `_`, `-`, `.`). */
export const SLURM_PARTITION_RE = /^[A-Za-z0-9_.-]{1,64}$/;

/** A remote engine's name: it prefixes lane, queue item and run ids (`box-a/gpu:…`), so no `/`, no `:`, no spaces. */
export const BOX_NAME_RE = /^[a-z0-9](?:[a-z0-9-]{0,30}[a-z0-9])?$/;

const LOCAL_LANE = '(?:auto|gpu:[A-Za-z0-9:_.-]{1,200}|slurm:[A-Za-z0-9_.-]{1,64})';
export const LANE_ID_RE = new RegExp(`^(?:[a-z0-9](?:[a-z0-9-]{0,30}[a-z0-9])?/)?${LOCAL_LANE}$`);

export const slurmLane = (partition: string): LaneId => `slurm:${partition}`;

/** The partition of a (local) Slurm lane, else null. */
export function laneSlurmPartition(lane: string): string | null {
  if (!lane.startsWith('slurm:')) return null;
  const p = lane.slice(6);
  return SLURM_PARTITION_RE.test(p) ? p : null;
}

export const isSlurmLane = (lane: string): boolean => laneSlurmPartition(lane) !== null;

/** `<box>/<id>`: a lane, queue item or run of the remote engine `box`, named on this board. */
export const boxed = <T extends string>(box: string, id: T): `${string}/${T}` => `${box}/${id}`;

/** The box and the remote engine's own id of a `<box>/<id>` name; null for a name of this engine. */
export function unbox(id: string): { box: string; id: string } | null {
  const slash = id.indexOf('/');
  if (slash <= 0) return null;
  const box = id.slice(0, slash);
  return BOX_NAME_RE.test(box) ? { box, id: id.slice(slash + 1) } : null;
}

/** The remote engine of a lane and the lane as that engine names it; null for a lane of this engine. */
export function laneBox(lane: string): { box: string; lane: LaneId } | null {
  const u = unbox(lane);
  return u ? { box: u.box, lane: u.id as LaneId } : null;
}
