/**
 * Compare across boxes: a finished run of a real `serve` engine (box-a) and a finished run of the local core appear in
 * one compare table and one set of curves, the box's run under its `<box>/<id>` name; what needs the run's files here
 * (predict, spot-check, exports) answers `unavailable` with a catalogue Message instead of a crash.
 */
import { chmodSync, mkdtempSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { afterAll, describe, expect, it } from 'vitest';
import { createCore, type Core } from '../../src/core/createCore.js';
import { connectApi, killRunsIn, startServe, waitUntil, type ServeProcess } from '../e2e/harness.js';
import { repoRoot } from '../helpers/fixtures.js';
import { sourceTreeRuntime } from '../helpers/runtime.js';
import { portableTaskYaml } from '../helpers/portableTask.js';

const smi = join(repoRoot, 'test/fixtures/bin/nvidia-smi');
const tmp = mkdtempSync(join(tmpdir(), 'ty-remote-compare-'));
// A stand-in llamafactory-cli: the scripted trainer, short, writing trainer_log.jsonl (the curves' points).
const fakeCli = join(tmp, 'llamafactory-cli');
writeFileSync(
  fakeCli,
  `#!/bin/sh\ncfg="$2.scripted.yaml"\n{ cat "$2"; printf 'lines: 40\\nevery: 2\\nsleep_ms: 5\\n'; } > "$cfg"\nexec "${process.execPath}" "${join(repoRoot, 'test/fixtures/trainers/scripted.mjs')}" "$1" "$cfg"\n`,
);
chmodSync(fakeCli, 0o755);

const taskYaml = (out: string, lr: string) => portableTaskYaml({ output_dir: out, learning_rate: lr });

const call = { connectionId: 'test' };
let a: ServeProcess | null = null;
let local: Core | null = null;

afterAll(async () => {
  await local?.stop();
  await a?.stop();
  if (a) killRunsIn(a.dataDir);
});

describe('Compare across boxes', () => {
  it('shows a finished run of a box and a local finished run in one table and one set of curves', async () => {
    a = await startServe({ env: { TRAINYARD_NVIDIA_SMI: smi, FAKE_GPUS: '1' } });
    const apiA = await connectApi(a);
    await apiA.call('settings.update', { trainer: { kind: 'llamafactory', llamafactoryCli: fakeCli } });
    apiA.close();

    local = createCore({ dataDir: mkdtempSync(join(tmpdir(), 'ty-local-')), host: 'serve', runtime: sourceTreeRuntime(), env: { ...process.env, TRAINYARD_NVIDIA_SMI: smi, FAKE_GPUS: '1' }, remotes: { retryMinMs: 100, retryMaxMs: 500, pingMs: 1000 } });
    await local.start();
    const h = local.handlers;
    await h['settings.update']({ trainer: { kind: 'llamafactory', llamafactoryCli: fakeCli } }, call);
    await h['remotes.add']({ name: 'box-a', url: `http://127.0.0.1:${a.port}`, token: a.token }, call);
    await waitUntil('box-a reachable', async () => (await h['remotes.list']({}, call)).find((x) => x.name === 'box-a')?.state === 'reachable');

    const { tasks } = await h['tasks.import']({ files: [{ name: 'on-box.yaml', content: taskYaml(join(tmp, 'out-box'), '2.0e-4') }, { name: 'here.yaml', content: taskYaml(join(tmp, 'out-here'), '1.0e-4') }] }, call);
    const [onBox, here] = tasks;
    expect(onBox?.ok, JSON.stringify(onBox?.issues)).toBe(true);
    await h['board.enqueue']({ taskId: onBox!.id, lane: 'box-a/gpu:0' }, call);
    await h['board.enqueue']({ taskId: here!.id, lane: 'auto' }, call);

    const [boxRun, localRun] = await waitUntil('both runs finished', async () => {
      const runs = await h['runs.list']({}, call);
      const r = [runs.find((x) => x.name === 'on-box' && x.box === 'box-a'), runs.find((x) => x.name === 'here' && !x.box)];
      return r.every((x) => x?.status === 'finished') ? (r as NonNullable<(typeof r)[number]>[]) : null;
    }, 120_000);
    expect(boxRun!.id).toMatch(/^box-a\//);

    // The table: both rows, the box's under its boxed id with its own config values, status and final loss.
    const table = await h['compare.table']({}, call);
    const rowBox = table.rows.find((r) => r.runId === boxRun!.id);
    const rowLocal = table.rows.find((r) => r.runId === localRun!.id);
    expect(rowBox, JSON.stringify(table.rows.map((r) => r.runId))).toBeDefined();
    expect(rowLocal).toBeDefined();
    expect(rowBox!.status).toBe('finished');
    expect(rowBox!.config['learning_rate']).toBe(2.0e-4);
    expect(rowLocal!.config['learning_rate']).toBe(1.0e-4);
    expect(rowBox!.finalLoss).toBeCloseTo(2 / Math.sqrt(40), 3);
    expect(table.differingKeys).toContain('learning_rate');
    // The rows of just these two, as the live table asks for them.
    expect((await h['compare.rows']({ runIds: [boxRun!.id, localRun!.id] }, call)).map((r) => r.runId)).toEqual([boxRun!.id, localRun!.id]);

    // The curves: both series, in the order asked, each with its points.
    const curves = await h['compare.curves']({ runIds: [localRun!.id, boxRun!.id], metric: 'loss' }, call);
    expect(curves.map((c) => c.runId)).toEqual([localRun!.id, boxRun!.id]);
    for (const c of curves) expect(c.points.length).toBe(20);
    expect(curves[1]!.points.at(-1)!.step).toBe(40);

    // What works on the run's files on this machine answers `unavailable` in the catalogue's terms, not a crash.
    for (const attempt of [
      () => h['compare.predict']({ runId: boxRun!.id }, call),
      () => h['compare.spotCheck']({ runId: boxRun!.id, content: '[]', fileName: 't.json' }, call),
      () => h['compare.datasets']({ runId: boxRun!.id }, call),
      () => h['compare.predictions']({ runId: boxRun!.id }, call),
      () => h['compare.exportHtml']({ runIds: [localRun!.id, boxRun!.id] }, call),
      () => h['compare.exportCsv']({ runIds: [boxRun!.id] }, call),
    ] as (() => unknown)[]) {
      await expect(Promise.resolve().then(() => attempt())).rejects.toMatchObject({ code: 'unavailable', said: { code: 'remotes.notHere' } });
    }
  }, 240_000);
});
