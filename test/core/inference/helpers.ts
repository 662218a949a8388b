/** Test rig for the chat domain: a real supervisor, a finished scripted training run, and the scripted SSE server as the `api` trainer. */
import { mkdirSync } from 'node:fs';
import { join } from 'node:path';
import type { GpuMonitor } from '../../../src/core/gpu/gpuDomain.js';
import { cpuDevice } from '../../../src/core/gpu/cpuDevice.js';
import { createChatDomain } from '../../../src/core/inference/chatDomain.js';
import { readHolderInfo } from '../../../src/core/runs/holderProcess.js';
import { runProcesses, signalAll } from '../../../src/core/runs/procTree.js';
import { createRunsDomain } from '../../../src/core/runs/runsDomain.js';
import type { ChatDelta } from '../../../src/shared/types/chat.js';
import type { GpuSnapshot } from '../../../src/shared/types/gpu.js';
import type { Run } from '../../../src/shared/types/run.js';
import { repoRoot } from '../../helpers/fixtures.js';
import { makeCtx, scriptedTrainer, spec, tempDataDir } from '../runs/helpers.js';

export { alive } from '../../helpers/process.js';

export const sseServer = join(repoRoot, 'test/fixtures/inference/sse-server.mjs');

/** The machine as the monitor reports it without GPUs: the CPU device (real figures from os). */
export function cpuMonitor(): GpuMonitor {
  return {
    snapshot: (): GpuSnapshot => ({ source: 'cpu', gpus: [cpuDevice()], processes: [], notice: null, at: Date.now() }),
    onSnapshot: () => () => undefined,
    setPidResolver: () => undefined,
  };
}

export function makeRig() {
  const dataDir = tempDataDir();
  const ctx = makeCtx(dataDir);
  /** Flags for the next server start (see sse-server.mjs). */
  const apiFlags: { current: string[] } = { current: [] };
  const runs = createRunsDomain(ctx, {
    commandFor: (sub, configPath) =>
      sub === 'api' ? [process.execPath, sseServer, 'api', configPath, ...apiFlags.current] : [process.execPath, scriptedTrainer, sub, configPath],
    stopGraceMs: 2000,
    killAfterMs: 1000,
  });
  const chat = createChatDomain(ctx, { runs: runs.supervisor, gpus: cpuMonitor() }, { pollMs: 40 });
  const deltas: ChatDelta[] = [];
  ctx.bus.on('chat.delta', (d) => deltas.push(d));
  // async like the RPC server: a handler's synchronous throw becomes a rejection.
  const call = async <K extends keyof typeof chat.handlers>(m: K, p: Parameters<(typeof chat.handlers)[K]>[0]) =>
    (chat.handlers[m] as (p: unknown, c: { connectionId: string }) => ReturnType<(typeof chat.handlers)[K]>)(p, { connectionId: 't' });

  /** A finished training run with a config copy, an output dir and a checkpoint-2 folder. */
  async function trainedRun(name: string): Promise<Run> {
    const yaml = `model_name_or_path: base-model\ntemplate: demo\nfinetuning_type: lora\nlines: 3\nevery: 1\n`;
    const r = await runs.supervisor.launch(spec(name, yaml, dataDir, []));
    const ended = await runs.supervisor.waitForEnd(r.id, 20_000);
    mkdirSync(join(ended.outputDir, 'checkpoint-2'), { recursive: true });
    return ended;
  }

  /** Resolves with the final event of a message. */
  function finalOf(messageId: string, timeoutMs = 20_000): Promise<Extract<ChatDelta, { done: unknown }>['done']> {
    return new Promise((resolve, reject) => {
      const t0 = Date.now();
      const tick = () => {
        const d = deltas.find((x) => x.messageId === messageId && 'done' in x);
        if (d && 'done' in d) return resolve(d.done);
        if (Date.now() - t0 > timeoutMs) return reject(new Error(`no final event for ${messageId}`));
        setTimeout(tick, 20);
      };
      tick();
    });
  }

  function cleanup() {
    chat.stop?.();
    for (const r of runs.supervisor.list()) {
      const info = readHolderInfo(r.runDir);
      if (info) signalAll([...runProcesses(info.trainerPid), info.holderPid], 'SIGKILL');
    }
    runs.supervisor.shutdown();
    ctx.db.close();
  }

  return { ctx, runs, chat, deltas, apiFlags, call, trainedRun, finalOf, cleanup, dataDir };
}
