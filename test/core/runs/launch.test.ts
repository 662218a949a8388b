/** Launching real runs under holders: config copy, env, console bytes, exit codes, failure reasons, stop, terminal. */
import { readFileSync } from 'node:fs';
import { join } from 'node:path';
import { afterAll, describe, expect, it } from 'vitest';
import { createRunsDomain } from '../../../src/core/runs/runsDomain.js';
import { readHolderInfo } from '../../../src/core/runs/holderProcess.js';
import { runProcesses, signalAll } from '../../../src/core/runs/procTree.js';
import { commandFor, killRuns, makeCtx, spec, tempDataDir } from './helpers.js';

const dataDir = tempDataDir();
const ctx = makeCtx(dataDir);
const runs = createRunsDomain(ctx, { commandFor, metricsPollMs: 100, stopGraceMs: 2000, killAfterMs: 1000 });
const sup = runs.supervisor;
const toasts: string[] = [];
ctx.bus.on('toast', (t) => toasts.push(t.title.text));

afterAll(() => {
  killRuns(sup);
  sup.shutdown();
  ctx.db.close();
});

describe('launch', () => {
  it('runs a trainer to its end: exact config copy, env, every byte in console.log, metrics', async () => {
    const copy = join(dataDir, 'copy-a.txt');
    const yaml = `# my comment\nmodel_name_or_path: foo # inline\nlines: 40\nevery: 5\ncopy_file: ${copy}\n`;
    const run = await sup.launch(spec('My run/1', yaml, dataDir, [2, 3]));
    expect(run.outputDir).toBe(join(ctx.paths.outputsDir, `My-run-1-${run.id}`));
    const cfg = readFileSync(run.configPath, 'utf8');
    expect(cfg).toContain('# my comment');
    expect(cfg).toContain('model_name_or_path: foo # inline');
    expect(cfg).toContain(`output_dir: ${run.outputDir}`);
    expect(cfg.indexOf('model_name_or_path')).toBeLessThan(cfg.indexOf('output_dir'));
    expect(run.env.CUDA_VISIBLE_DEVICES).toBe('2,3');
    expect(run.env.LLAMABOARD_ENABLED).toBe('1');
    expect(run.env.LLAMABOARD_WORKDIR).toBe(run.outputDir);
    expect(Number(run.env.MASTER_PORT)).toBe(run.masterPort);
    const ended = await sup.waitForEnd(run.id, 20_000);
    expect(ended.status).toBe('finished');
    expect(ended.exitCode).toBe(0);
    const log = readFileSync(join(run.runDir, 'console.log'), 'utf8').replace(/\r\n/g, '\n');
    expect(log).toBe(readFileSync(copy, 'utf8'));
    expect(log).toContain('CUDA_VISIBLE_DEVICES=2,3');
    const points = await runs.handlers['runs.metrics']({ id: run.id }, { connectionId: 't' });
    expect(points.map((p) => p.step)).toEqual([5, 10, 15, 20, 25, 30, 35, 40]);
    expect(sup.get(run.id)!.progress?.step).toBe(40);
    expect(toasts).toContain('My run/1 finished');
  });

  it('records a non-zero exit as failed with a reason, CPU placement hides every GPU', async () => {
    const yaml = `lines: 3\nexit_code: 3\n`;
    const run = await sup.launch(spec('fails', yaml, dataDir, []));
    expect(run.env.CUDA_VISIBLE_DEVICES).toBe('');
    const ended = await sup.waitForEnd(run.id, 20_000);
    expect(ended.status).toBe('failed');
    expect(ended.exitCode).toBe(3);
    expect(ended.failure?.message.text).toContain('RuntimeError: scripted failure 3');
  });

  it('refuses a second active run in the same output_dir and gives live runs distinct ports', async () => {
    const outputDir = join(dataDir, 'shared-out');
    const a = await sup.launch({ ...spec('a', 'lines: 400\nsleep_ms: 20\n', dataDir), outputDir });
    await expect(sup.launch({ ...spec('b', 'lines: 1\n', dataDir), outputDir })).rejects.toThrow(/already writing/);
    const c = await sup.launch(spec('c', 'lines: 400\nsleep_ms: 20\n', dataDir));
    expect(c.masterPort).not.toBe(a.masterPort);
    // Stop once the trainer is up (its SIGABRT handler installed), as a user would.
    for (let i = 0; i < 500 && !readFileSync(join(a.runDir, 'console.log'), 'utf8').includes('step 2/'); i++) await new Promise((r) => setTimeout(r, 20));
    const stopped = await sup.stop(a.id);
    expect(stopped.status).toBe('stopping');
    await sup.stop(c.id);
    expect((await sup.waitForEnd(a.id, 20_000)).status).toBe('stopped');
    expect((await sup.waitForEnd(c.id, 20_000)).status).toBe('stopped');
    expect(readFileSync(join(a.runDir, 'console.log'), 'utf8')).toContain('SIGABRT: saving and stopping');
  });

  it('sends terminal input through the holder (the pty echoes it into console.log) and marks a run whose holder died as lost', async () => {
    const run = await sup.launch(spec('echo', 'lines: 2000\nsleep_ms: 10\n', dataDir));
    await runs.handlers['terminal.resize']({ id: run.id, cols: 100, rows: 40 }, { connectionId: 't' });
    await runs.handlers['terminal.input']({ id: run.id, data: 'hello-from-viewer\r' }, { connectionId: 't' });
    const log = () => readFileSync(join(run.runDir, 'console.log'), 'utf8');
    for (let i = 0; i < 200 && !log().includes('hello-from-viewer'); i++) await new Promise((r) => setTimeout(r, 20));
    expect(log()).toContain('hello-from-viewer');
    const hits = await runs.handlers['runs.searchLog']({ id: run.id, query: 'HELLO-from' }, { connectionId: 't' });
    expect(hits[0]!.text).toContain('hello-from-viewer');
    const info = readHolderInfo(run.runDir)!;
    process.kill(info.holderPid, 'SIGKILL');
    const ended = await sup.waitForEnd(run.id, 20_000);
    expect(ended.status).toBe('lost');
    expect(ended.failure?.message.text).toMatch(/holder process is gone/);
    signalAll(runProcesses(info.trainerPid), 'SIGKILL');
  });

  it('reports a trainer that cannot start', async () => {
    const bad = createRunsDomain(ctx, { commandFor: () => ['/nonexistent/trainer', 'train'] });
    const run = await bad.supervisor.launch(spec('missing', 'lines: 1\n', dataDir));
    const ended = run.status === 'failed' ? run : await bad.supervisor.waitForEnd(run.id, 20_000);
    expect(ended.status).toBe('failed');
    bad.supervisor.shutdown();
  });
});
