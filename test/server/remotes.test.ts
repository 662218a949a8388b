/**
 * Remote engines, end to end on one machine: two real `serve` engines (own data folders, ports, fake GPUs) added as
 * boxes of a local core; their lanes join its board, a task queued on each box's lane runs on that engine, a SIGKILLed
 * engine marks only its box unreachable (its run goes on) and re-attaches when it is back on the same port.
 */
import { chmodSync, mkdtempSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { afterAll, describe, expect, it } from 'vitest';
import { createCore, type Core } from '../../src/core/createCore.js';
import type { BoardState } from '../../src/shared/contract/tasks.js';
import type { RemoteBox } from '../../src/shared/types/remote.js';
import type { Run } from '../../src/shared/types/run.js';
import { connectApi, killRunsIn, startServe, waitUntil, type ServeProcess } from '../e2e/harness.js';
import { runCli } from '../../src/cli/index.js';
import { repoRoot } from '../helpers/fixtures.js';
import { sourceTreeRuntime } from '../helpers/runtime.js';
import { portableTaskYaml } from '../helpers/portableTask.js';

async function cli(args: string[]) {
  let out = '';
  let err = '';
  const code = await runCli(args, { out: (t) => (out += t), err: (t) => (err += t), env: { ...process.env, TRAINYARD_NVIDIA_SMI: smi, FAKE_GPUS: '1' } });
  return { code, out, err };
}

const smi = join(repoRoot, 'test/fixtures/bin/nvidia-smi');
const tmp = mkdtempSync(join(tmpdir(), 'ty-remotes-'));
// A stand-in llamafactory-cli: the scripted trainer on a copy of the config with its own keys (LLaMA-Factory refuses
// unknown keys, so they cannot be in the task), slow enough to still be running when its engine is killed.
const fakeCli = join(tmp, 'llamafactory-cli');
writeFileSync(
  fakeCli,
  `#!/bin/sh\ncfg="$2.scripted.yaml"\n{ cat "$2"; printf 'lines: 4000\\nsleep_ms: 100\\n'; } > "$cfg"\nexec "${process.execPath}" "${join(repoRoot, 'test/fixtures/trainers/scripted.mjs')}" "$1" "$cfg"\n`,
);
chmodSync(fakeCli, 0o755);

/** A task whose paths hold on every engine of this machine (the text is what travels to a box). */
const taskYaml = (out: string) => portableTaskYaml({ output_dir: out });

const TOKEN_B = 'remote-engine-b-token-0123456789';
const call = { connectionId: 'test' };
let a: ServeProcess | null = null;
let b: ServeProcess | null = null;
let local: Core | null = null;

async function serveBox(name: string, gpus: string, extra: { port?: number; dataDir?: string; env?: NodeJS.ProcessEnv } = {}): Promise<ServeProcess> {
  const s = await startServe({ ...extra, env: { TRAINYARD_NVIDIA_SMI: smi, FAKE_GPUS: gpus, ...extra.env } });
  if (!extra.dataDir) {
    const api = await connectApi(s);
    await api.call('settings.update', { trainer: { kind: 'llamafactory', llamafactoryCli: fakeCli } });
    api.close();
  }
  void name;
  return s;
}

afterAll(async () => {
  await local?.stop();
  await a?.stop();
  await b?.stop();
  for (const s of [a, b]) if (s) killRunsIn(s.dataDir);
});

describe('remote engines (two serve engines on one machine)', () => {
  it('federates two boxes on one board, runs each task on its box, and marks only a killed box unreachable until it is back', async () => {
    a = await serveBox('box-a', '2');
    b = await serveBox('box-b', '1:NVIDIA H200:143771', { env: { TRAINYARD_TOKEN: TOKEN_B } });
    expect(b.token).toBe(TOKEN_B);

    const localDir = mkdtempSync(join(tmpdir(), 'ty-local-'));
    local = createCore({ dataDir: localDir, host: 'serve', runtime: sourceTreeRuntime(), env: { ...process.env, TRAINYARD_NVIDIA_SMI: smi, FAKE_GPUS: '1' }, remotes: { retryMinMs: 100, retryMaxMs: 500, pingMs: 1000 } });
    await local.start();
    const h = local.handlers;
    const boards: BoardState[] = [];
    const stopBoard = local.subscriptions['board.changed']({}, (s) => boards.push(s), { ...call, subscriptionId: 1 });
    const boxes: RemoteBox[][] = [];
    const stopBoxes = local.subscriptions['remotes.changed']({}, (s) => boxes.push(s), { ...call, subscriptionId: 2 });

    const boxA = await h['remotes.add']({ name: 'box-a', url: `http://127.0.0.1:${a.port}`, token: a.token }, call);
    const boxB = await h['remotes.add']({ name: 'box-b', url: `http://127.0.0.1:${b.port}/`, token: TOKEN_B }, call);
    // The token is stored, never sent back.
    expect(JSON.stringify(await h['remotes.list']({}, call))).not.toContain(a.token);
    expect(JSON.stringify(boxes)).not.toContain(TOKEN_B);
    expect(boxB.hasToken).toBe(true);

    const stateOf = (name: string) => boxes.at(-1)?.find((x) => x.name === name)?.state;
    await waitUntil('both boxes reachable', async () => stateOf('box-a') === 'reachable' && stateOf('box-b') === 'reachable');
    // Both boxes' lanes in the board topic, named as the board names them: box-a has two cards, box-b one.
    const lanes = await waitUntil('both boxes on the board', async () => {
      const ids = boards.at(-1)?.lanes.map((l) => l.id) ?? [];
      return ids.filter((id) => id.startsWith('box-a/gpu:')).length === 2 && ids.some((id) => id.startsWith('box-b/gpu:')) ? ids : null;
    });
    expect(lanes).toContain('auto');
    expect(lanes).toContain('box-a/auto');
    expect(lanes.filter((id) => id.startsWith('gpu:'))).toHaveLength(1);

    const imported = await h['tasks.import']({ files: [{ name: 'on-a.yaml', content: taskYaml(join(tmp, 'out-a')) }, { name: 'on-b.yaml', content: taskYaml(join(tmp, 'out-b')) }] }, call);
    const [taskA, taskB] = imported.tasks;
    expect(taskA?.ok, JSON.stringify(taskA?.issues)).toBe(true);
    // The drag hint on a box's card, said in the user's language (its English is the reason).
    const fitA = await h['board.fit']({ taskId: taskA!.id, lane: 'box-a/gpu:0' }, call);
    expect(fitA).toMatchObject({ fits: true, said: { code: 'remotes.fitFree', params: { box: 'box-a', index: 0 } } });
    expect(fitA.said!.text).toBe(fitA.reason);
    const itemA = await h['board.enqueue']({ taskId: taskA!.id, lane: 'box-a/gpu:0' }, call);
    const itemB = await h['board.enqueue']({ taskId: taskB!.id, lane: 'box-b/gpu:0' }, call);
    expect(itemA.id).toMatch(/^box-a\//);
    expect(itemB.lane).toMatch(/^box-b\/gpu:GPU-/);

    // Each run on the right engine, asked of each engine itself.
    const apiA = await connectApi(a);
    const runOnA = await waitUntil('the run on engine A', async () => (await apiA.call('runs.list', {})).find((r) => r.name === 'on-a'));
    expect((await apiA.call('runs.list', {})).some((r) => r.name === 'on-b')).toBe(false);
    // Queued on the box again, the same task is not imported a second time: the box's task list does not pile up.
    await h['board.enqueue']({ taskId: taskA!.id, lane: 'box-a/gpu:1' }, call);
    expect((await apiA.call('tasks.list', {})).filter((t) => t.name.startsWith('on-a'))).toHaveLength(1);
    let apiB = await connectApi(b);
    const runOnB = await waitUntil('the run on engine B', async () => (await apiB.call('runs.list', {})).find((r) => r.name === 'on-b' && r.status === 'running'));
    expect((await apiB.call('runs.list', {})).some((r) => r.name === 'on-a')).toBe(false);
    apiB.close();
    // Nothing ran here; this engine's runs list shows both, each with its box.
    const listed = (await h['runs.list']({}, call)) as (Run & { box?: string })[];
    expect(listed.find((r) => r.id === `box-b/${runOnB.id}`)?.box).toBe('box-b');
    expect(listed.find((r) => r.id === `box-a/${runOnA.id}`)?.box).toBe('box-a');
    expect(listed.filter((r) => !r.id.includes('/'))).toHaveLength(0);
    // A run's page over the contract: its status and metrics come from its box.
    expect((await h['runs.get']({ id: `box-b/${runOnB.id}` }, call)).status).toBe('running');
    await waitUntil('metrics of the box-b run', async () => ((await h['runs.metrics']({ id: `box-b/${runOnB.id}` }, call)).length > 0 ? true : null));

    // A wrong token: that box is unauthorized (said in the catalogue's terms), the others are untouched.
    const wrong = await h['remotes.add']({ name: 'box-x', url: `http://127.0.0.1:${a.port}`, token: 'not-the-token-of-a-0000' }, call);
    await waitUntil('box-x unauthorized', async () => stateOf('box-x') === 'unauthorized');
    expect(boxes.at(-1)?.find((x) => x.name === 'box-x')?.lastError?.code).toBe('remotes.refused');
    expect(stateOf('box-a')).toBe('reachable');
    await h['remotes.remove']({ id: wrong.id }, call);
    expect((await h['remotes.list']({}, call)).map((x) => x.name)).toEqual(['box-a', 'box-b']);

    // Engine B dies: only box-b is unreachable; its run goes on there, shown with its last status.
    await b.stop('SIGKILL');
    await waitUntil('box-b unreachable', async () => stateOf('box-b') === 'unreachable');
    expect(stateOf('box-a')).toBe('reachable');
    const fitDown = await h['board.fit']({ taskId: taskB!.id, lane: 'box-b/gpu:0' }, call);
    expect(fitDown.fits).toBe(false);
    expect(fitDown.said?.code).toMatch(/^remotes\./);
    const whileDown = (await h['runs.list']({}, call)) as (Run & { boxState?: string })[];
    const bRun = whileDown.find((r) => r.id === `box-b/${runOnB.id}`)!;
    expect(bRun.status).toBe('running');
    expect(bRun.boxState).toBe('unreachable');
    await expect(h['board.enqueue']({ taskId: taskB!.id, lane: 'box-b/gpu:0' }, call)).rejects.toMatchObject({ code: 'unavailable' });
    // Its lanes stay on the board (greyed by the UI), box-a's queue still answers.
    expect((await h['board.get']({}, call)).lanes.some((l) => l.id.startsWith('box-b/'))).toBe(true);

    // Back on the same port and data folder: the box re-attaches, and its engine adopted the run that kept going.
    b = await serveBox('box-b', '1:NVIDIA H200:143771', { port: b.port, dataDir: b.dataDir, env: { TRAINYARD_TOKEN: TOKEN_B } });
    await waitUntil('box-b reachable again', async () => stateOf('box-b') === 'reachable', 60_000);
    apiB = await connectApi(b);
    expect((await apiB.call('runs.get', { id: runOnB.id })).status).toBe('running');
    apiB.close();
    const again = (await h['runs.list']({}, call)) as (Run & { boxState?: string })[];
    expect(again.find((r) => r.id === `box-b/${runOnB.id}`)?.boxState).toBe('reachable');

    // Stop is proxied to the box.
    await h['runs.stop']({ id: `box-b/${runOnB.id}` }, call);
    await waitUntil('the box-b run stopped', async () => ((await h['runs.get']({ id: `box-b/${runOnB.id}` }, call)).status === 'stopped' ? true : null), 60_000);
    expect(boxA.id).not.toBe(boxB.id);
    // What acts on files of this machine is not passed to a box: a box's run is no run here.
    for (const m of ['runs.openFolder', 'runs.export'] as const) await expect(Promise.resolve().then(() => h[m]({ id: `box-b/${runOnB.id}` }, call))).rejects.toMatchObject({ code: 'not_found' });
    await expect(Promise.resolve().then(() => h['runs.tensorboard']({ ids: [`box-b/${runOnB.id}`] }, call))).rejects.toMatchObject({ code: 'not_found' });
    stopBoard();
    stopBoxes();
    await local.stop();
    local = null;

    // The CLI of this machine names a box's card as the board does; a one-shot engine on this data folder reaches the box.
    const cfg = join(tmp, 'cli-on-a.yaml');
    writeFileSync(cfg, taskYaml(join(tmp, 'out-cli')));
    const queued = await cli(['run', cfg, '--lane', 'box-a/gpu:1', '--json', '--data-dir', localDir]);
    expect(queued.err).toBe('');
    const [cliRun] = JSON.parse(queued.out) as Run[];
    expect(cliRun!.id).toMatch(/^box-a\//);
    expect(cliRun!.box).toBe('box-a');
    const onA = await apiA.call('runs.get', { id: cliRun!.id.slice('box-a/'.length) });
    expect(onA.gpuIndices).toEqual([1]);
    const ps = await cli(['ps', '--data-dir', localDir]);
    expect(ps.out).toMatch(new RegExp(`box-a/${onA.id}\\s+cli-on-a\\s+\\w+\\s+box-a/gpu:1`));
    apiA.close();
  }, 240_000);
});
