/** `trainyard run <config.yaml…>`: imports configs and queues them on a lane of the running engine (or a one-shot one); --wait exits with the result. */
import { resolve } from 'node:path';
import type { ApiClient } from '../../shared/contract/index.js';
import { LANE_ID_RE, unbox } from '../../shared/domain/lanes.js';
import type { Run } from '../../shared/types/run.js';
import type { QueueItem } from '../../shared/types/task.js';
import { parseArgs, UsageError, type Command } from '../args.js';
import { dataDirOf, sleep, withEngine } from '../engine.js';
import { isActive, placeOf } from '../runRef.js';

const help = `Usage: trainyard run <config.yaml…> [--lane LANE | --gpus 0,1] [--trainer demo|PATH] [--wait] [--json]

Queues LLaMA-Factory configs on the Trainyard engine of the data folder — the desktop app or \`trainyard serve\`
when one runs (through <data-dir>/engine.sock), else an engine started by this command for as long as it needs
one (runs keep going after it exits, and the next engine adopts them).

Options:
  --lane LANE        Where to run, as the board names lanes: auto (default), gpu:<index> or gpu:<uuid>, or
                     slurm:<partition> (Slurm lanes: docs/CLUSTERS.md), or <box>/<lane> on a remote engine
                     (Settings → Remote engines), e.g. box-a/gpu:3.
  --gpus 0,1         These GPUs of this machine (one run spanning them). Not with --lane.
  --gpu-count N      How many GPUs the run needs (auto and Slurm lanes; default 1).
  --nodes N          Slurm: how many nodes (default 1).
  --time T           Slurm: time limit (sbatch --time, e.g. 2:00:00); default from Settings → Slurm.
  --account A        Slurm: account (sbatch --account); default from Settings → Slurm.
  --qos Q            Slurm: QoS (sbatch --qos); default from Settings → Slurm.
  --trainer T        demo (the bundled demo trainer) or the path of llamafactory-cli. This sets Settings → Trainer
                     of the engine, as choosing it in the app does.
  --wait             Wait for the runs to end; exit 0 when all finished, 1 when one failed, 130 when one was stopped.
  --json             Print JSON: the queued runs (with --wait: the ended runs).
  --data-dir D       The data folder (default: $TRAINYARD_DATA_DIR or the platform's app-data folder).
  --help             Show this help.

Exit status: 0 queued (or all finished with --wait), 1 failed or not queued, 130 stopped, 2 usage error.
`;

/** `gpu:0` → the lane of GPU 0 (`gpu:<uuid>`); others are taken as written. */
async function laneOf(api: ApiClient, lane: string): Promise<{ lane: string; index?: number }> {
  const m = /^gpu:(\d+)$/.exec(lane);
  if (!m) return { lane };
  const snap = await api.call('gpus.list', {});
  const g = snap.gpus.find((x) => x.index === Number(m[1]));
  if (!g) throw new UsageError(`There is no GPU ${m[1]} on this machine (${snap.gpus.map((x) => `gpu:${x.index}`).join(', ') || 'none'}).`);
  return { lane: `gpu:${g.uuid}`, index: g.index };
}

async function gpusLane(api: ApiClient, list: string): Promise<{ lane: string; gpuUuids: string[] }> {
  const want = list.split(',').map((s) => s.trim());
  if (!want.every((s) => /^\d+$/.test(s))) throw new UsageError(`--gpus takes GPU indices like 0,1 (got "${list}").`);
  const snap = await api.call('gpus.list', {});
  const uuids = want.map((i) => {
    const g = snap.gpus.find((x) => x.index === Number(i));
    if (!g) throw new UsageError(`There is no GPU ${i} on this machine.`);
    return g.uuid;
  });
  return { lane: `gpu:${uuids[0]}`, gpuUuids: uuids.slice(1) };
}

/** Waits until the scheduler started the item's run (or the item left the board without one). */
async function runOf(api: ApiClient, item: QueueItem): Promise<string> {
  let lastNote: string | null = null;
  // An item queued on a remote box (`<box>/…`) is in that box's queue, and its run is one of the box's runs.
  const box = unbox(item.id)?.box ?? null;
  for (;;) {
    const queue = box ? ((await api.call('remotes.list', {})).find((b) => b.name === box)?.queue ?? []) : (await api.call('board.get', {})).queue;
    const now = queue.find((q) => q.id === item.id);
    if (now?.runId) return now.runId;
    if (!now) {
      const runs = await api.call('runs.list', {});
      const r = runs.find((x) => x.taskId === item.taskId && (x.box ?? null) === box && x.createdAt >= item.createdAt);
      if (r) return r.id;
      throw new Error(`The queued item left the board without a run${lastNote ? `: ${lastNote}` : ''}.`);
    }
    lastNote = now.note;
    await sleep(300);
  }
}

export const runCommand: Command = {
  summary: 'Queue configs on the engine (--wait to wait for the result).',
  help,
  async main(argv, io) {
    const { flags, positional } = parseArgs(argv, {
      lane: { type: 'string' },
      gpus: { type: 'string' },
      'gpu-count': { type: 'number' },
      nodes: { type: 'number' },
      time: { type: 'string' },
      account: { type: 'string' },
      qos: { type: 'string' },
      trainer: { type: 'string' },
      wait: { type: 'boolean' },
      json: { type: 'boolean' },
      'data-dir': { type: 'string' },
    });
    if (!positional.length) throw new UsageError('Give at least one config file.');
    if (flags.lane !== undefined && flags.gpus !== undefined) throw new UsageError('Use --lane or --gpus, not both.');
    const laneFlag = (flags.lane as string | undefined) ?? 'auto';
    if (!LANE_ID_RE.test(laneFlag) && !/^gpu:\d+$/.test(laneFlag)) throw new UsageError(`"${laneFlag}" is not a lane: auto, gpu:<index>, gpu:<uuid>, slurm:<partition> or <box>/<one of those>.`);
    const slurmLane = laneFlag.startsWith('slurm:');
    for (const k of ['nodes', 'time', 'account', 'qos'] as const) if (flags[k] !== undefined && !slurmLane) throw new UsageError(`--${k} is for Slurm lanes (--lane slurm:<partition>).`);
    const gpuCount = flags['gpu-count'] as number | undefined;
    if (gpuCount !== undefined && (!Number.isInteger(gpuCount) || gpuCount < 1 || gpuCount > 16)) throw new UsageError('--gpu-count must be 1–16.');
    const files = positional.map((p) => resolve(p));

    return withEngine(dataDirOf(flags['data-dir'], io.env), io, async ({ api }) => {
      const trainer = flags.trainer as string | undefined;
      if (trainer === 'demo') await api.call('settings.update', { trainer: { kind: 'demo' } });
      else if (trainer) await api.call('settings.update', { trainer: { kind: 'llamafactory', llamafactoryCli: resolve(trainer) } });

      const imported = await api.call('tasks.import', { paths: files });
      for (const s of imported.skipped) io.err(`trainyard run: ${s.name}: ${s.reason}\n`);
      const bad = imported.tasks.filter((t) => !t.ok);
      for (const t of bad) for (const i of t.issues.filter((x) => x.severity === 'error')) io.err(`trainyard run: ${t.name}: ${i.key ? `${i.key}: ` : ''}${i.message}\n`);
      if (imported.skipped.length || bad.length || !imported.tasks.length) return 1;

      const target = flags.gpus !== undefined ? await gpusLane(api, flags.gpus as string) : { ...(await laneOf(api, laneFlag)), gpuUuids: [] as string[] };
      const slurm = slurmLane
        ? { ...(flags.nodes !== undefined ? { nodes: flags.nodes as number } : {}), ...(flags.time ? { timeLimit: flags.time as string } : {}), ...(flags.account ? { account: flags.account as string } : {}), ...(flags.qos ? { qos: flags.qos as string } : {}) }
        : undefined;
      const runIds: string[] = [];
      for (const task of imported.tasks) {
        const item = await api.call('board.enqueue', {
          taskId: task.id,
          lane: target.lane,
          ...(target.gpuUuids.length ? { gpuUuids: target.gpuUuids } : {}),
          ...(gpuCount ? { gpuCount } : {}),
          ...(slurm ? { slurm } : {}),
        });
        runIds.push(await runOf(api, item));
      }
      const get = (id: string) => api.call('runs.get', { id });
      if (!flags.wait) {
        const runs = await Promise.all(runIds.map(get));
        if (flags.json) io.out(JSON.stringify(runs, null, 2) + '\n');
        else for (const r of runs) io.out(`${r.id}  ${r.name}  ${r.status}  ${placeOf(r)}\n`);
        return runs.some((r) => r.status === 'failed' || r.status === 'lost') ? 1 : 0;
      }
      if (!flags.json) for (const id of runIds) io.out(`${id}  queued; waiting for it to end…\n`);
      const ended: Run[] = [];
      for (const id of runIds) {
        let r = await get(id);
        while (isActive(r)) {
          await sleep(500);
          r = await get(id);
        }
        ended.push(r);
        if (!flags.json) io.out(`${r.id}  ${r.name}  ${r.status}${r.progress?.lastLoss != null ? `  loss ${r.progress.lastLoss}` : ''}${r.failure ? `  ${r.failure.message.text}` : ''}\n`);
      }
      if (flags.json) io.out(JSON.stringify(ended, null, 2) + '\n');
      if (ended.some((r) => r.status === 'failed' || r.status === 'lost')) return 1;
      return ended.some((r) => r.status === 'stopped') ? 130 : 0;
    });
  },
};
