/** Compare's curve of a resumed run is one series: the resumed part replaces the steps it re-ran (the run page's rule, from src/shared/domain). */
import { mkdtempSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { afterAll, describe, expect, it } from 'vitest';
import { curveFromStore } from '../../../src/core/compare/curves.js';
import { createCompareRepo } from '../../../src/core/store/compareRepo.js';
import { openDb } from '../../../src/core/store/db.js';
import { createMetricsRepo } from '../../../src/core/store/metricsRepo.js';

const db = openDb(join(mkdtempSync(join(tmpdir(), 'ty-curve-')), 'db.sqlite'));
afterAll(() => db.close());

describe('compare curve of a resumed run', () => {
  it('draws steps 1..10 once, not 1..8 then 5..10', () => {
    const m = createMetricsRepo(db);
    // Segment 0 ran to step 8 and crashed; segment 1 resumed from checkpoint-5 and ran to 10.
    const first = Array.from({ length: 8 }, (_, i) => ({ step: i + 1, segment: 0, loss: 3 - i / 10 }));
    const resumed = Array.from({ length: 6 }, (_, i) => ({ step: i + 5, segment: 1, loss: 2.55 - i / 10 }));
    const pts = [...first, ...resumed].map((p, i) => ({ ...p, seq: i + 1, at: null, elapsedSeconds: null }));
    m.commit('r', pts, { source: 'trainer_log', offset: 0, seq: pts.length, segment: 1, lastStep: 10, state: {} });
    const curve = curveFromStore(createCompareRepo(db), 'r', 'loss');
    expect(curve.map((p) => p.step)).toEqual([1, 2, 3, 4, 5, 6, 7, 8, 9, 10]);
    // Steps 5..8 are the resumed run's values, not the crashed one's.
    expect(curve.find((p) => p.step === 5)!.value).toBeCloseTo(2.55);
  });
});
