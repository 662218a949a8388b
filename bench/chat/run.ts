/** Bench: what the engine adds per streamed token and to time-to-first-token, versus the openai client calling the server directly. */
import { mkdtempSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { performance } from 'node:perf_hooks';
import { fileURLToPath } from 'node:url';
import { EventBus } from '../../src/core/bus.js';
import type { CoreContext } from '../../src/core/context.js';
import { cpuDevice } from '../../src/core/gpu/cpuDevice.js';
import { createChatDomain } from '../../src/core/inference/chatDomain.js';
import { streamChat } from '../../src/core/inference/streamChat.js';
import { dataPaths } from '../../src/core/paths.js';
import { createRunsDomain } from '../../src/core/runs/runsDomain.js';
import { openDb } from '../../src/core/store/db.js';
import { defaultSettings } from '../../src/shared/types/settings.js';
import { sourceTreeRuntime } from '../../test/helpers/runtime.js';

const root = join(fileURLToPath(import.meta.url), '../../..');
const PIECES = Number(process.env.PIECES ?? 2000);
const ROUNDS = Number(process.env.ROUNDS ?? 6);

const dataDir = mkdtempSync(join(tmpdir(), 'ty-bench-chat-'));
const paths = dataPaths(dataDir);
const ctx: CoreContext = { db: openDb(paths.dbFile), paths, bus: new EventBus(), host: 'serve', runtime: sourceTreeRuntime(), resourcesDir: join(root, 'resources'), settings: () => defaultSettings, env: process.env };
const runs = createRunsDomain(ctx, {
  commandFor: (sub, cfg) =>
    sub === 'api'
      ? [process.execPath, join(root, 'test/fixtures/inference/sse-server.mjs'), 'api', cfg, '--pieces', String(PIECES), '--piece-ms', '0']
      : [process.execPath, join(root, 'test/fixtures/trainers/scripted.mjs'), sub, cfg],
  stopGraceMs: 1000,
});
const gpus = { snapshot: () => ({ source: 'cpu' as const, gpus: [cpuDevice()], processes: [], notice: null, at: Date.now() }), onSnapshot: () => () => undefined, setPidResolver: () => undefined };
const chat = createChatDomain(ctx, { runs: runs.supervisor, gpus }, { pollMs: 50 });
const call = { connectionId: 'bench' };

const train = await runs.supervisor.launch({
  name: 'bench', kind: 'train', taskId: null, sweepId: null, parentRunId: null, workDir: dataDir, gpuIndices: [], gpuUuids: ['CPU-0'], estimateMiB: null,
  configYaml: 'model_name_or_path: base\ntemplate: demo\nlines: 1\n',
});
await runs.supervisor.waitForEnd(train.id, 20_000);
const server = await chat.servers.ensureServer(train.id);
const params = { temperature: 0.7, topP: 0.9, maxTokens: 100_000 };
const prompt = 'word '.repeat(8);

interface Sample { ttft: number; perToken: number; pieces: number }

async function direct(): Promise<Sample> {
  const t0 = performance.now();
  let first = 0;
  let n = 0;
  await streamChat(server, [{ role: 'user', content: prompt }], params, new AbortController().signal, () => {
    if (!n) first = performance.now();
    n++;
  });
  const end = performance.now();
  return { ttft: first - t0, perToken: (end - first) / Math.max(1, n - 1), pieces: n };
}

async function engine(): Promise<Sample> {
  const conv = await chat.handlers['chat.createConversation']({ runId: train.id, params }, call);
  let first = 0;
  let n = 0;
  const t0 = performance.now();
  const done = new Promise<number>((resolve) => {
    const off = ctx.bus.on('chat.delta', (d) => {
      if (d.conversationId !== conv.id) return;
      if ('text' in d) {
        if (!n) first = performance.now();
        n++;
      } else {
        off();
        resolve(performance.now());
      }
    });
  });
  await chat.handlers['chat.send']({ conversationId: conv.id, content: prompt }, call);
  const end = await done;
  return { ttft: first - t0, perToken: (end - first) / Math.max(1, n - 1), pieces: n };
}

const median = (xs: number[]) => [...xs].sort((a, b) => a - b)[Math.floor(xs.length / 2)]!;
await direct(); // warm-up: connection, JIT
await engine();
const d: Sample[] = [];
const e: Sample[] = [];
for (let i = 0; i < ROUNDS; i++) {
  d.push(await direct());
  e.push(await engine());
}
const row = (name: string, s: Sample[]) =>
  console.log(`${name.padEnd(22)} ttft ${median(s.map((x) => x.ttft)).toFixed(2).padStart(7)} ms   per token ${(median(s.map((x) => x.perToken)) * 1000).toFixed(1).padStart(7)} µs   pieces ${s[0]!.pieces}`);
console.log(`chat bench: ${ROUNDS} rounds, ${PIECES} pieces per answer, scripted SSE server (no model), medians`);
row('openai → server', d);
row('engine (chat.send)', e);
const dT = median(d.map((x) => x.ttft));
const eT = median(e.map((x) => x.ttft));
const dP = median(d.map((x) => x.perToken));
const eP = median(e.map((x) => x.perToken));
console.log(`ratio engine/direct: ttft ${(eT / dT).toFixed(2)}×  (+${(eT - dT).toFixed(2)} ms)   per token ${(eP / dP).toFixed(2)}×  (+${((eP - dP) * 1000).toFixed(1)} µs)`);

await chat.servers.stopServer(server.serverId);
await runs.supervisor.waitForEnd(server.serverId, 10_000);
chat.stop?.();
runs.supervisor.shutdown();
ctx.db.close();
