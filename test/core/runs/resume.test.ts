/** Resume continues from the newest checkpoint, and is refused (not a silent restart from step 0) when there is none. */
import { mkdirSync, readFileSync } from 'node:fs';
import { join } from 'node:path';
import { afterAll, describe, expect, it } from 'vitest';
import { readHolderInfo } from '../../../src/core/runs/holderProcess.js';
import { runProcesses, signalAll } from '../../../src/core/runs/procTree.js';
import { createRunsDomain } from '../../../src/core/runs/runsDomain.js';
import { commandFor, makeCtx, spec, tempDataDir } from './helpers.js';

const dataDir = tempDataDir();
const ctx = makeCtx(dataDir);
const runs = createRunsDomain(ctx, { commandFor, metricsPollMs: 100 });
const sup = runs.supervisor;
const call = { connectionId: 't' };

afterAll(() => {
  for (const r of sup.list()) {
    const info = readHolderInfo(r.runDir);
    if (info) signalAll([...runProcesses(info.trainerPid), info.holderPid], 'SIGKILL');
  }
  sup.shutdown();
  ctx.db.close();
});

describe('resume', () => {
  it('is refused when the run saved no checkpoint, and continues from the newest one otherwise', async () => {
    const out = join(dataDir, 'out-resume');
    const first = await sup.launch({ ...spec('resumable', `lines: 3\nevery: 1\noutput_dir: ${out}\n`, dataDir), outputDir: out });
    await sup.waitForEnd(first.id, 60_000);
    expect(await runs.handlers['runs.checkpoints']({ id: first.id }, call)).toEqual([]);
    await expect(runs.handlers['runs.restart']({ id: first.id, resume: true }, call)).rejects.toThrow(/no checkpoint in .* to resume from/);
    for (const n of [4, 12]) mkdirSync(join(out, `checkpoint-${n}`), { recursive: true });
    expect(await runs.handlers['runs.checkpoints']({ id: first.id }, call)).toEqual(['checkpoint-4', 'checkpoint-12']);
    const resumed = await runs.handlers['runs.restart']({ id: first.id, resume: true }, call);
    expect(readFileSync(resumed.configPath, 'utf8')).toContain(`resume_from_checkpoint: ${join(out, 'checkpoint-12')}`);
    await sup.waitForEnd(resumed.id, 60_000);
  });
});
