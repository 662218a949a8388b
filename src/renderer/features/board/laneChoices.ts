/** The lanes a task or item can go to, with labels, for the "Add to lane…" and "Move to…" menus. */
import type { LaneId } from '../../../shared/types/task.js';
import { useT } from '../../i18n/index.js';
import { useBoard } from '../../stores/board.js';
import { useGpus } from '../../stores/gpus.js';
import { gpuOfLane } from './boardLogic.js';

export interface LaneChoice {
  id: LaneId;
  label: string;
  paused: boolean;
  /** The card's index (null for Auto and for a card that went away). */
  index: number | null;
}

export function useLaneChoices(): LaneChoice[] {
  const t = useT();
  const gpus = useGpus((s) => s.snapshot?.gpus);
  const lanes = useBoard((s) => s.board.lanes);
  const paused = new Map(lanes.map((l) => [l.id, l.paused]));
  const ids: LaneId[] = ['auto', ...(gpus ?? []).map((g) => `gpu:${g.uuid}` as LaneId)];
  // Lanes the engine keeps for a card that went away still hold items; they can be moved out of, not into.
  return ids.map((id) => {
    const g = gpus?.find((x) => x.uuid === gpuOfLane(id));
    const label = id === 'auto' ? t('board.lane.auto') : g ? (g.vendor === 'cpu' ? g.name : t('board.lane.gpu', { index: g.index, name: g.name })) : id;
    return { id, label, paused: paused.get(id) ?? false, index: g?.index ?? null };
  });
}
