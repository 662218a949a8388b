/** The runs repository's reads beyond the row itself: calibration samples (run config, else its task's YAML) and peak raising. */
import { mkdirSync, mkdtempSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { describe, expect, it } from 'vitest';
import { createCalibrationSource } from '../../../src/core/configs/calibration.js';
import { openDb } from '../../../src/core/store/db.js';
import { createRunsRepo, type StoredRun } from '../../../src/core/store/runsRepo.js';
import { createTasksRepo } from '../../../src/core/store/tasksRepo.js';

describe('runs repository', () => {
  it('reads finished runs with both figures for calibration, from the config copy or else the task, and only raises peaks', () => {
    const tmp = mkdtempSync(join(tmpdir(), 'ty-runs-repo-'));
    const db = openDb(join(tmp, 'db.sqlite'));
    const runs = createRunsRepo(db);
    createTasksRepo(db).insertMany([
      { id: 't1', name: 't1', sourcePath: null, workDir: tmp, yaml: 'model_name_or_path: org/from-task\nfinetuning_type: full\n', sweepId: null, tags: [], createdAt: 1, updatedAt: 1 },
    ]);
    const mk = (id: string, over: Partial<StoredRun>, yaml: string | null) => {
      const dir = join(tmp, id);
      mkdirSync(dir);
      if (yaml !== null) writeFileSync(join(dir, 'config.yaml'), yaml);
      runs.save({
        id, name: id, kind: 'train', taskId: null, sweepId: null, parentRunId: null, status: 'finished', gpuIndices: [0], gpuUuids: [],
        outputDir: dir, runDir: dir, configPath: join(dir, 'config.yaml'), workDir: tmp, argv: [], env: {}, masterPort: null, pid: null, holderPid: 7,
        exitCode: 0, signal: null, failure: null, estimateMiB: 1000, peakMiB: 1200, progress: null, tags: [], notes: '',
        createdAt: 1, startedAt: 1, endedAt: 2, ...over,
      });
    };
    mk('own', { endedAt: 3 }, 'model_name_or_path: org/own/\n');
    mk('gone', { taskId: 't1', endedAt: 2 }, null);
    mk('no-peak', { peakMiB: null }, 'model_name_or_path: org/own\n');
    mk('failed', { status: 'failed' }, 'model_name_or_path: org/own\n');

    expect(runs.calibrationRows().map((r) => r.id)).toEqual(['own', 'gone']);
    expect(createCalibrationSource(() => runs.calibrationRows()).samples()).toEqual([
      { model: 'org/own', finetuningType: 'lora', estimateMiB: 1000, peakMiB: 1200 },
      { model: 'org/from-task', finetuningType: 'full', estimateMiB: 1000, peakMiB: 1200 },
    ]);

    runs.raisePeak('own', 900);
    expect(runs.get('own')!.peakMiB).toBe(1200);
    runs.raisePeak('own', 1500);
    expect(runs.get('own')).toMatchObject({ peakMiB: 1500, holderPid: 7 });
    db.close();
  });
});
