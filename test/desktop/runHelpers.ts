/** Shared steps of the desktop tests: the demo trainer's environment, a small copy of an example task, waiting for a run's end. */
import { join } from 'node:path';
import type { Methods, Topics } from '../../src/shared/contract/index.js';
import type { RpcClient } from '../../src/shared/rpc/client.js';
import type { Run } from '../../src/shared/types/run.js';
import type { Task } from '../../src/shared/types/task.js';
import { repoRoot } from '../helpers/fixtures.js';

type Api = RpcClient<Methods, Topics>;

/** Two fake GPUs (the nvidia-smi double) and demo steps slow enough to stop or kill a run mid-way. */
export const demoEnv: NodeJS.ProcessEnv = {
  PATH: `${join(repoRoot, 'test/fixtures/bin')}:${process.env.PATH}`,
  FAKE_GPUS: '2',
  DEMO_TRAINER_STEP_DELAY_MS: '100',
  DEMO_TRAINER_THREADS: '1',
};

/** Polls until `probe` gives something truthy (no fixed sleeps: this machine is slow and shared). */
export async function waitFor<T>(what: string, probe: () => Promise<T | null | undefined | false>, timeoutMs = 60_000): Promise<T> {
  const end = Date.now() + timeoutMs;
  for (;;) {
    const v = await probe();
    if (v) return v;
    if (Date.now() > end) throw new Error(`timed out waiting for ${what}`);
    await new Promise((r) => setTimeout(r, 200));
  }
}

/** The support example cut to `steps` steps (and no checkpoints), as its own task. */
export async function smallTask(api: Api, examples: Task[], name: string, steps: number, extra: Record<string, unknown> = {}): Promise<Task> {
  const support = examples.find((t) => /support/.test(t.name) && !/infer/.test(t.name)) ?? examples[0]!;
  return api.call('tasks.clone', { id: support.id, name, set: { max_steps: steps, logging_steps: 2, save_steps: 1000, ...extra } });
}

export async function endOf(api: Api, id: string, timeoutMs: number): Promise<Run> {
  return waitFor(`run ${id} to end`, async () => {
    const r = await api.call('runs.get', { id });
    return !['starting', 'running', 'stopping'].includes(r.status) && r;
  }, timeoutMs);
}

/** Queues a task on a lane and returns its run's id once the scheduler started it (a run that fails at once included). */
export async function runOn(api: Api, task: Task, lane: string): Promise<string> {
  await api.call('board.enqueue', { taskId: task.id, lane });
  return waitFor(`a run of ${task.name}`, async () => (await api.call('runs.list', {})).find((r) => r.taskId === task.id)?.id, 120_000);
}

/** The demo trainer on, its example tasks imported, and the lanes of the two fake GPUs. */
export async function demoSetup(api: Api): Promise<{ examples: Task[]; lanes: string[] }> {
  await api.call('settings.update', { trainer: { kind: 'demo' } });
  const examples = await api.call('tasks.loadExamples', {});
  // The engine starts without waiting for GPU detection (the window paints first): wait for the cards themselves.
  const snap = await waitFor('the fake GPUs to be detected', async () => {
    const s = await api.call('gpus.list', {});
    return s.source === 'nvidia-smi' && s;
  });
  const lanes = snap.gpus.map((g) => `gpu:${g.uuid}`);
  return { examples, lanes };
}
