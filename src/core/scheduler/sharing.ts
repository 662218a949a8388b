/** How runs that share one GPU slow each other: the compute-share model the planner forecasts with (fitted to the H200 measurement). */

/**
 * Each extra process computing on a card costs every one of them this factor (context switches, cache and memory
 * bandwidth). Fitted to test/fixtures/recorded/h200-concurrency (identical small LoRA jobs started together on one
 * H200): with util 0.19, K=4 gives 4 × 0.97³ = 3.65× one job's throughput (measured 3.65×) and K=8 gives
 * 0.97⁷ / 0.19 = 4.26× (measured 4.31×). K=2 measured 2.33× (each faster than alone, a warm-up effect the model does
 * not credit). test/core/scheduler/sharing.test.ts checks the fit against the file.
 */
export const INTERFERENCE = 0.97;

/** Compute share of a run while it loads its model (start-up): it holds memory but barely uses the SMs. */
export const STARTUP_UTIL = 0.05;

/** A process on a card as the sharing model sees it. */
export interface Load {
  /** Share of the card's compute it would use alone (0–1]. */
  util: number;
  /** Loading the model: counts STARTUP_UTIL towards the demand, does not progress training and is not slowed. */
  starting: boolean;
}

/**
 * Speed of each computing run relative to running alone (starting runs get 1: loading is disk and CPU bound).
 * Demand D = Σ util (starting runs count STARTUP_UTIL); when D > 1 the card is saturated and time-slices, so each
 * computing run gets 1/D of what it wants; on top, every other computing process costs INTERFERENCE.
 * `otherUtil` is compute used by programs that are not ours (counted as one more computing process when present).
 */
export function cardSpeeds(loads: readonly Load[], otherUtil = 0): number[] {
  let demand = otherUtil;
  let computing = otherUtil > STARTUP_UTIL ? 1 : 0;
  for (const l of loads) {
    demand += l.starting ? STARTUP_UTIL : l.util;
    if (!l.starting) computing++;
  }
  const shared = Math.min(1, demand > 0 ? 1 / demand : 1) * INTERFERENCE ** Math.max(0, computing - 1);
  return loads.map((l) => (l.starting ? 1 : shared));
}

/** Aggregate throughput of k identical runs computing together on one card, in units of one run alone. */
export function aggregateSpeedup(k: number, util: number): number {
  const loads = Array.from({ length: k }, () => ({ util, starting: false }));
  return cardSpeeds(loads).reduce((a, b) => a + b, 0);
}

/**
 * Least gain in a card's throughput for a job to join runs already on it. Profiles are estimates (a job's compute share
 * is known to ±25 % at best), so a gain of a few percent is noise, while every neighbour costs the others INTERFERENCE.
 */
export const PACK_GAIN = 1.05;

/**
 * Whether a job using `util` of a card, joining runs that ask for `demand` of it, raises the card's useful compute by
 * PACK_GAIN: throughput is min(1, D) × INTERFERENCE^(K−1), so joining multiplies it by min(1, D + util) / min(1, D) ×
 * INTERFERENCE. A saturated card (D ≥ 1) never gains; a card with idle SMs gains until it fills.
 */
export function packingPays(demand: number, util: number): boolean {
  if (demand <= 0) return true;
  return (Math.min(1, demand + util) / Math.min(1, demand)) * INTERFERENCE >= PACK_GAIN;
}
