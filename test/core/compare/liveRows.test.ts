/** Compare at scale: rows of single runs for live updates, catalogue defaults in the diff, task names, and configs parsed once into SQLite. */
import { mkdirSync, mkdtempSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { describe, expect, it } from 'vitest';
import { EventBus } from '../../../src/core/bus.js';
import { createCompareDomain } from '../../../src/core/compare/compareDomain.js';
import type { CoreContext } from '../../../src/core/context.js';
import { openDb } from '../../../src/core/store/db.js';
import { createCompareRepo } from '../../../src/core/store/compareRepo.js';
import { createRunsRepo, type StoredRun } from '../../../src/core/store/runsRepo.js';
import type { CompareRow, CompareTable } from '../../../src/shared/types/compare.js';
import { resourcesDir } from '../../helpers/fixtures.js';
import { readOnlySupervisor } from './readOnlySupervisor.js';
import { sourceTreeRuntime } from '../../helpers/runtime.js';

describe('compare table for live updates', () => {
  it('answers single rows, diffs by effective values and names tasks', async () => {
    const tmp = mkdtempSync(join(tmpdir(), 'cmp-live-'));
    const db = openDb(join(tmp, 'db.sqlite'));
    const runs = createRunsRepo(db);
    const mk = (id: string, yaml: string, over: Partial<StoredRun> = {}) => {
      const out = join(tmp, id);
      mkdirSync(out);
      writeFileSync(join(out, 'config.yaml'), yaml);
      runs.save({
        id, name: `support-${id}`, kind: 'train', taskId: 'task_x', sweepId: null, parentRunId: null, status: 'finished', gpuIndices: [0], gpuUuids: [],
        outputDir: out, runDir: out, configPath: join(out, 'config.yaml'), workDir: tmp, argv: [], env: {}, masterPort: null, pid: null, holderPid: null,
        exitCode: 0, signal: null, failure: null, estimateMiB: null, peakMiB: null, progress: null, tags: [], notes: '',
        createdAt: Number(id.slice(1)), startedAt: 1, endedAt: 2, ...over,
      });
    };
    // lora_rank: 8 is LLaMA-Factory's default; r2 leaves it unset. learning_rate really differs.
    mk('r1', 'learning_rate: 1.0e-4\nlora_rank: 8\n');
    mk('r2', 'learning_rate: 2.0e-4\n');
    const ctx = { db, bus: new EventBus(), paths: {} as never, host: 'serve', runtime: sourceTreeRuntime(), resourcesDir, settings: () => ({}) as never, env: {} } as CoreContext;
    const d = createCompareDomain(ctx, { runs: readOnlySupervisor(() => runs) });
    const call = <T,>(m: string, p: unknown) => (d.handlers as unknown as Record<string, (p: unknown, c: unknown) => T>)[m]!(p, {});
    const table = call<CompareTable>('compare.table', {});
    expect(table.defaults.lora_rank).toBe(8);
    expect(table.differingKeys).toEqual(['learning_rate']);
    expect(table.facets.tasks).toEqual([{ id: 'task_x', name: 'support-r2' }]);
    const rows = call<CompareRow[]>('compare.rows', { runIds: ['r2', 'nope'] });
    expect(rows.map((r) => r.runId)).toEqual(['r2']);
    expect(rows[0]!.config).toEqual({ learning_rate: 2e-4 });
    // The parsed config is in SQLite: the first table after a restart reads it instead of the YAML file.
    expect(createCompareRepo(db).storedConfig(join(tmp, 'r1', 'config.yaml'))?.config).toEqual({ learning_rate: 1e-4, lora_rank: 8 });
    db.close();
  });
});

describe('evaluation choices', () => {
  it('lists the registry datasets with the training ones flagged, and predicts on the held-out split', async () => {
    const { evalDatasets } = await import('../../../src/core/compare/evalDatasets.js');
    const { predictConfigYaml } = await import('../../../src/core/compare/predict.js');
    const tmp = mkdtempSync(join(tmpdir(), 'cmp-eval-'));
    mkdirSync(join(tmp, 'data'));
    writeFileSync(join(tmp, 'data', 'dataset_info.json'), JSON.stringify({ faq: { file_name: 'faq.json' }, test_set: { file_name: 't.json' } }));
    const yaml = 'model_name_or_path: m\nstage: sft\ndo_train: true\nfinetuning_type: lora\ndataset: faq\nval_size: 0.1\ntemplate: qwen\nseed: 7\noutput_dir: out\n';
    writeFileSync(join(tmp, 'config.yaml'), yaml);
    const run = { configPath: join(tmp, 'config.yaml'), workDir: tmp } as unknown as Parameters<typeof evalDatasets>[0];
    expect(evalDatasets(run)).toEqual({ datasets: [{ name: 'faq', training: true }, { name: 'test_set', training: false }], valSize: 0.1, problem: null });
    const heldOut = predictConfigYaml(yaml, { evalDataset: null, trainedDir: join(tmp, 'out'), outputDir: join(tmp, 'out', 'predict-1'), workDir: tmp });
    // The same dataset, val_size and seed: LLaMA-Factory splits off the same part training never saw.
    expect(heldOut).toMatch(/^dataset: faq$/m);
    expect(heldOut).toMatch(/^val_size: 0.1$/m);
    expect(heldOut).toMatch(/^seed: 7$/m);
    expect(heldOut).not.toMatch(/eval_dataset/);
    expect(() => predictConfigYaml(yaml.replace('val_size: 0.1\n', ''), { evalDataset: null, trainedDir: tmp, outputDir: tmp, workDir: tmp })).toThrow(/no val_size/);
  });
});
