/** Schema 8 moves metric points into compact rows: what an older engine stored reads back the same through the view and the repo. */
import Database from 'better-sqlite3';
import { mkdtempSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { describe, expect, it } from 'vitest';
import { openDb } from '../../../src/core/store/db.js';
import { createMetricsRepo } from '../../../src/core/store/metricsRepo.js';
import { migrations } from '../../../src/core/store/migrations/index.js';

describe('migration 8 (compact metric rows)', () => {
  it('keeps every point of a version-7 database, with throughput as a column and no derived keys', () => {
    const file = join(mkdtempSync(join(tmpdir(), 'ty-mig-')), 'trainyard.db');
    const raw = new Database(file);
    for (const m of migrations.filter((x) => x.version <= 7)) raw.exec(m.up);
    raw.pragma('user_version = 7');
    const insert = raw.prepare('INSERT INTO metric_points (run_id, seq, step, segment, at, elapsed_s, loss, eval_loss, lr, epoch, total_tokens, extra) VALUES (?,?,?,?,?,?,?,?,?,?,?,?)');
    insert.run('run_a', 1, 10, 0, 1000, 5, 1.5, null, 1e-4, 0.1, 700, JSON.stringify({ throughput: 1988.08, percentage: 10, remaining_s: 45 }));
    insert.run('run_a', 2, 10, 0, 1001, 5, null, 1.7, null, 0.1, null, JSON.stringify({ percentage: 10, eval_accuracy: 0.5 }));
    insert.run('run_b', 1, 1, 0, null, null, 2.5, null, null, null, null, null);
    raw.close();

    const db = openDb(file);
    const repo = createMetricsRepo(db);
    expect(repo.points('run_a')).toEqual([
      { step: 10, segment: 0, at: 1000, elapsedSeconds: 5, loss: 1.5, lr: 1e-4, epoch: 0.1, totalTokens: 700, throughput: 1988.08 },
      { step: 10, segment: 0, at: 1001, elapsedSeconds: 5, evalLoss: 1.7, epoch: 0.1, extra: { eval_accuracy: 0.5 } },
    ]);
    expect(repo.points('run_b')).toEqual([{ step: 1, segment: 0, at: null, elapsedSeconds: null, loss: 2.5 }]);
    // Readers of the old table name (Compare) see the same rows through the view.
    expect(db.prepare<{ n: number }>("SELECT COUNT(*) AS n FROM metric_points WHERE run_id = 'run_a'").get()!.n).toBe(2);
    // New points continue the run's sequence under the same key.
    repo.commit('run_a', [{ seq: 3, step: 11, segment: 0, at: 1002, elapsedSeconds: 6, loss: 1.4 }], { source: 'trainer_log', offset: 1, seq: 3, segment: 0, lastStep: 11, state: {} });
    expect(repo.count('run_a')).toBe(3);
    db.close();
  });
});
