/** Expected end of every run on one card: a small fluid simulation of the sharing model, with runs that join later. */
import { cardSpeeds } from './sharing.js';

export interface CardRun {
  util: number;
  /** Seconds from now at which it joins the card (0 = on it already). */
  startAt: number;
  /** Seconds of model loading left (no training progress, barely any compute). */
  startupLeftS: number;
  /** Seconds of training left if it were alone on the card; Infinity = never ends (as far as we know). */
  workLeftS: number;
}

const EPS = 1e-6;

/**
 * Seconds from now at which each run ends (Infinity for one that never does). Between two events (a run joins, ends
 * its start-up or ends) every speed is constant, so the simulation jumps from event to event: at most three per run.
 * `otherUtil` is compute taken by programs that are not ours; it never ends.
 */
export function cardEnds(runs: readonly CardRun[], otherUtil = 0): number[] {
  const ends = runs.map(() => Infinity);
  const startup = runs.map((r) => Math.max(0, r.startupLeftS));
  const work = runs.map((r) => Math.max(0, r.workLeftS));
  const done = runs.map(() => false);
  let t = 0;
  for (let guard = 0; guard < 8 * runs.length + 8; guard++) {
    const present: number[] = [];
    for (let i = 0; i < runs.length; i++) if (!done[i] && runs[i]!.startAt <= t + EPS) present.push(i);
    // A run with no start-up and no work left ends the moment it is there.
    for (const i of present) {
      if (startup[i]! > EPS || work[i]! > EPS) continue;
      done[i] = true;
      ends[i] = t;
    }
    const live = present.filter((i) => !done[i]);
    const speeds = cardSpeeds(live.map((i) => ({ util: runs[i]!.util, starting: startup[i]! > EPS })), otherUtil);
    let dt = Infinity;
    for (let i = 0; i < runs.length; i++) if (!done[i] && runs[i]!.startAt > t + EPS) dt = Math.min(dt, runs[i]!.startAt - t);
    live.forEach((i, k) => (dt = Math.min(dt, startup[i]! > EPS ? startup[i]! : work[i]! / speeds[k]!)));
    if (!Number.isFinite(dt)) break;
    t += dt;
    live.forEach((i, k) => {
      if (startup[i]! > EPS) startup[i] = startup[i]! - dt;
      else {
        work[i] = work[i]! - dt * speeds[k]!;
        if (work[i]! <= EPS * Math.max(1, dt)) {
          done[i] = true;
          ends[i] = t;
        }
      }
    });
  }
  return ends;
}
