/** The planner's sharing model and forecast: the fit to the recorded H200 measurement, when joining a card pays, and expected ends. */
import { readFileSync } from 'node:fs';
import { describe, expect, it } from 'vitest';
import { cardEnds } from '../../../src/core/scheduler/forecast.js';
import { aggregateSpeedup, cardSpeeds, packingPays } from '../../../src/core/scheduler/sharing.js';
import { fixture } from '../../helpers/fixtures.js';

/** K → aggregate samples/s of K identical jobs ÷ one alone, from the fixture file itself. */
function measured(): Map<number, number> {
  const out = new Map<number, number>();
  let solo = 0;
  for (const line of readFileSync(fixture('h200-concurrency', 'concurrency.txt'), 'utf8').split('\n')) {
    const m = /^K=(\d+) /.exec(line);
    if (!m) continue;
    const total = [...line.matchAll(/"samples_per_s": ([\d.]+)/g)].reduce((s, x) => s + Number(x[1]), 0);
    if (m[1] === '1') solo = total;
    out.set(Number(m[1]), total / solo);
  }
  return out;
}

describe('sharing model', () => {
  it('reproduces the H200 measurement for 4 and 8 small jobs within 3 % (util 0.19)', () => {
    const m = measured();
    expect([...m.keys()]).toEqual([1, 2, 4, 8]);
    for (const k of [4, 8]) expect(Math.abs(aggregateSpeedup(k, 0.19) / m.get(k)! - 1)).toBeLessThan(0.03);
    // K=2 measured 2.33×: each job ran faster than alone, which the model does not credit (it under-packs, never over-packs).
    expect(aggregateSpeedup(2, 0.19)).toBeLessThan(m.get(2)!);
  });

  it.each([
    { name: 'an idle card always takes a job', demand: 0, util: 1, pays: true },
    { name: 'a half-used card gains from a small job', demand: 0.5, util: 0.25, pays: true },
    { name: 'a card at 95 % gains too little from another heavy job', demand: 0.95, util: 0.9, pays: false },
    { name: 'a saturated card never gains', demand: 1.2, util: 0.2, pays: false },
  ])('packingPays: $name', ({ demand, util, pays }) => {
    expect(packingPays(demand, util)).toBe(pays);
  });

  it('a loading run is not slowed and barely slows others', () => {
    const [a, b] = cardSpeeds([{ util: 0.95, starting: false }, { util: 0.95, starting: true }]);
    expect(a).toBe(1);
    expect(b).toBe(1);
  });
});

describe('cardEnds', () => {
  it.each([
    { name: 'one job alone ends after its start-up plus its work', runs: [{ util: 0.5, startAt: 0, startupLeftS: 60, workLeftS: 600 }], ends: [660] },
    // Two saturating jobs time-share: 1/D = 1/1.6 of their speed, times the interference of one neighbour.
    { name: 'two saturating jobs share the card', runs: [0, 1].map(() => ({ util: 0.8, startAt: 0, startupLeftS: 0, workLeftS: 600 })), ends: [600 / ((1 / 1.6) * 0.97), 600 / ((1 / 1.6) * 0.97)] },
    // The second joins at 300 s: from then on both run at 0.97 (demand 0.6), the first finishes its last 300 s slower.
    { name: 'a job that joins later slows the first only from then on', runs: [{ util: 0.3, startAt: 0, startupLeftS: 0, workLeftS: 600 }, { util: 0.3, startAt: 300, startupLeftS: 0, workLeftS: 600 }], ends: [300 + 300 / 0.97, 300 + 300 / 0.97 + 300] },
    { name: 'a job of unknown end never ends', runs: [{ util: 0.5, startAt: 0, startupLeftS: 0, workLeftS: Infinity }], ends: [Infinity] },
  ])('$name', ({ runs, ends }) => {
    const got = cardEnds(runs);
    got.forEach((e, i) => (Number.isFinite(ends[i]!) ? expect(e).toBeCloseTo(ends[i]!, 3) : expect(e).toBe(Infinity)));
  });
});
