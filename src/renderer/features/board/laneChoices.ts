/** The lanes a task or item can go to, with labels, for the "Add to lane…" and "Move to…" menus (remote boxes' cards after this machine's). */
import type { LaneId } from '../../../shared/types/task.js';
import { useT } from '../../i18n/index.js';
import { useBoard } from '../../stores/board.js';
import { useGpus } from '../../stores/gpus.js';
import { useRemotes } from '../../stores/remotes.js';
import { laneSlurmPartition } from '../../../shared/domain/lanes.js';
import { gpuOfLane } from './boardLogic.js';

export interface LaneChoice {
  id: LaneId;
  label: string;
  paused: boolean;
  /** The card's index (null for Auto, a card that went away, and a remote box's card). */
  index: number | null;
  /** The remote engine of a `<box>/gpu:<uuid>` lane. */
  box?: string;
}

export function useLaneChoices(): LaneChoice[] {
  const t = useT();
  const gpus = useGpus((s) => s.snapshot?.gpus);
  const lanes = useBoard((s) => s.board.lanes);
  const boxes = useRemotes((s) => s.boxes);
  const paused = new Map(lanes.map((l) => [l.id, l.paused]));
  const ids: LaneId[] = ['auto', ...(gpus ?? []).map((g) => `gpu:${g.uuid}` as LaneId), ...lanes.filter((l) => laneSlurmPartition(l.id)).map((l) => l.id)];
  // Lanes the engine keeps for a card that went away still hold items; they can be moved out of, not into.
  const local = ids.map((id): LaneChoice => {
    const g = gpus?.find((x) => x.uuid === gpuOfLane(id));
    const partition = laneSlurmPartition(id);
    const label = id === 'auto' ? t('board.lane.auto') : partition ? t('board.slurm.title', { name: partition }) : g ? (g.vendor === 'cpu' ? g.name : t('board.lane.gpu', { index: g.index, name: g.name })) : id;
    return { id, label, paused: paused.get(id) ?? false, index: g?.index ?? null };
  });
  // The cards of the remote boxes that answer now: a task goes there over the box's contract (an unreachable box takes nothing).
  const remote: LaneChoice[] = boxes
    .filter((b) => b.state === 'reachable')
    .flatMap((b) =>
      b.gpus
        .filter((g) => g.vendor !== 'cpu')
        .map((g) => {
          const id = `${b.name}/gpu:${g.uuid}` as LaneId;
          return { id, label: t('remotes.lane', { box: b.name, index: g.index, name: g.name }), paused: b.lanes.find((l) => l.id === id)?.paused ?? false, index: null, box: b.name };
        }),
    );
  return [...local, ...remote];
}
