/** The compare domain on a real SQLite store: table rows from runs + metric_points + output dirs, curves, spot-check over HTTP. */
import { copyFileSync, mkdirSync, mkdtempSync, writeFileSync } from 'node:fs';
import { createServer, type Server } from 'node:http';
import type { AddressInfo } from 'node:net';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { EventBus } from '../../../src/core/bus.js';
import { createCompareDomain } from '../../../src/core/compare/compareDomain.js';
import type { CoreContext } from '../../../src/core/context.js';
import type { RunSupervisor } from '../../../src/core/runs/supervisorApi.js';
import { openDb, type Db } from '../../../src/core/store/db.js';
import { createMetricsRepo } from '../../../src/core/store/metricsRepo.js';
import { createRunsRepo, type RunsRepo, type StoredRun } from '../../../src/core/store/runsRepo.js';
import type { CompareTable, CurveSeries, SpotCheckDetail, SpotCheckSummary } from '../../../src/shared/types/compare.js';
import { fixture } from '../../helpers/fixtures.js';
import { readOnlySupervisor } from './readOnlySupervisor.js';
import { sourceTreeRuntime } from '../../helpers/runtime.js';

const tmp = mkdtempSync(join(tmpdir(), 'cmp-'));
let db: Db;
let runs: RunsRepo;
let server: Server;
const bus = new EventBus();

function run(id: string, over: Partial<StoredRun> = {}): StoredRun {
  const out = join(tmp, id);
  mkdirSync(out, { recursive: true });
  return {
    id, name: id, kind: 'train', taskId: 't1', sweepId: null, parentRunId: null, status: 'finished', gpuIndices: [0], gpuUuids: ['GPU-a'],
    outputDir: out, runDir: out, configPath: join(out, 'config.yaml'), workDir: tmp, argv: [], env: {}, masterPort: null, pid: null,
    holderPid: null, exitCode: 0, signal: null, failure: null, estimateMiB: 9000, peakMiB: 8000, progress: null, tags: [], notes: '',
    createdAt: 1000, startedAt: 1_000_000, endedAt: 1_000_000 + 600_000, ...over,
  };
}

const supervisor = (): RunSupervisor => readOnlySupervisor(() => runs);

beforeAll(async () => {
  db = openDb(join(tmp, 'db.sqlite'));
  runs = createRunsRepo(db);
  const a = run('a');
  const b = run('b', { tags: ['best'], createdAt: 2000 });
  const c = run('c', { status: 'failed', createdAt: 3000 });
  for (const r of [a, b, c]) runs.save(r);
  runs.save(run('p', { kind: 'predict', parentRunId: 'b', createdAt: 4000 }));
  writeFileSync(a.configPath, 'learning_rate: 1.0e-4\ncutoff_len: 256\noutput_dir: x/a\n');
  writeFileSync(b.configPath, 'learning_rate: 2.0e-4\ncutoff_len: 256\noutput_dir: x/b\n');
  writeFileSync(c.configPath, 'learning_rate: [broken\n');
  // b's results are real files from the fixtures; p (predict of b) holds real predict results.
  copyFileSync(fixture('real-world/results/linxiang-ai__qwen-lora-sft__results__m3__all_results.json'), join(b.outputDir, 'all_results.json'));
  copyFileSync(fixture('real-world/results/AnthonyTang7__LLM-Assisted-RL__predict_results.json'), join(tmp, 'p', 'predict_results.json'));
  copyFileSync(fixture('real-world/results/agosalvez__tfm-lora-specialized-adapter__results__trainer_state.json'), join(c.outputDir, 'trainer_state.json'));
  const m = createMetricsRepo(db);
  const pts = Array.from({ length: 100 }, (_, i) => ({
    seq: i, step: i + 1, segment: 0, at: 1_000_000 + i * 1000, elapsedSeconds: i * 2, loss: 3 - i / 50, lr: 1e-4, epoch: i / 50, totalTokens: (i + 1) * 100,
    ...(i % 10 === 9 ? { evalLoss: 2.5 - i / 100 } : {}),
  }));
  m.commit('a', pts.slice(0, 60), { source: 'x', offset: 0, seq: 60, segment: 0, lastStep: 60, state: {} });
  db.prepare('INSERT INTO gpu_samples (uuid, at, resolution, power_draw_w) VALUES (?,?,?,?)').run('GPU-a', 1_000_000, 0, 250);
  db.prepare('INSERT INTO gpu_samples (uuid, at, resolution, power_draw_w) VALUES (?,?,?,?)').run('GPU-a', 1_060_000, 0, 350);
  // The rest of a's points arrive after the first table read: the summary must fold them in.
  (globalThis as Record<string, unknown>).__late = () => m.commit('a', pts.slice(60), { source: 'x', offset: 0, seq: 100, segment: 0, lastStep: 100, state: {} });
  // A tiny OpenAI-style streaming server (LLaMA-Factory's chunk shapes, "\n"-separated SSE).
  server = createServer((req, res) => {
    let body = '';
    req.on('data', (d: Buffer) => (body += d.toString()));
    req.on('end', () => {
      const prompt = (JSON.parse(body) as { messages: { content: string }[] }).messages[0]!.content;
      if (req.headers.authorization !== 'Bearer k') return void res.writeHead(401).end('{"detail": "Invalid API key."}');
      res.writeHead(200, { 'Content-Type': 'text/event-stream' });
      const answer = prompt.includes('return') ? ['You have ', '30 days', '.'] : ['No idea'];
      const chunk = (delta: object, fin: string | null = null) => `data: ${JSON.stringify({ id: 'c', model: 'm', choices: [{ index: 0, delta, finish_reason: fin }] })}\n\n`;
      res.write(chunk({ role: 'assistant', content: '' }));
      for (const p of answer) res.write(chunk({ content: p }));
      res.end(chunk({}, 'stop') + 'data: [DONE]\n\n');
    });
  });
  await new Promise<void>((r) => server.listen(0, '127.0.0.1', r));
});
afterAll(() => {
  server?.close();
  db?.close();
});

function domain() {
  const ctx = { db, bus, paths: {} as never, host: 'serve', runtime: sourceTreeRuntime(), resourcesDir: '', settings: () => ({}) as never, env: {} } as CoreContext;
  const port = (server.address() as AddressInfo).port;
  return createCompareDomain(ctx, { runs: supervisor(), inference: { ensureServer: () => Promise.resolve({ baseURL: `http://127.0.0.1:${port}/v1`, apiKey: 'k', model: 'm' }) } });
}
const call = (d: ReturnType<typeof domain>, m: string, p: unknown) => (d.handlers as Record<string, (p: unknown, c: unknown) => unknown>)[m]!(p, {});

describe('compare domain', () => {
  it('builds rows from metric_points, results files, trainer_state, predict runs and energy', () => {
    const d = domain();
    const t = call(d, 'compare.table', {}) as CompareTable;
    expect(t.rows.map((r) => r.runId)).toEqual(['c', 'b', 'a']);
    const [c, b, a] = t.rows;
    expect(a!.finalLoss).toBeCloseTo(3 - 59 / 50, 12);
    expect(a!.minLoss).toBeCloseTo(3 - 59 / 50, 12);
    expect(a!.lastEvalLoss).toBeCloseTo(2.5 - 59 / 100, 12);
    expect(a!.bestEvalLoss).toBeCloseTo(2.5 - 59 / 100, 12);
    expect(a!.tokensPerSec).toBeCloseTo(6000 / 118, 9);
    expect(a!.energyWh).toBeCloseTo((300 * 60) / 3600, 9);
    expect(a!.durationS).toBe(600);
    expect(b!.evalAccuracy).toBe(0.5666667222976685);
    expect(b!.finalLoss).toBe(0.6801355235716876);
    expect(b!.bleu4).toBeCloseTo(92.21327412109375, 10);
    expect(b!.predictRunId).toBe('p');
    expect(c!.finalLoss).toBe(0.0707);
    expect(c!.configError).toMatch(/Cannot read the config copy/);
    expect(t.differingKeys).toEqual(['learning_rate']);
    expect(t.configKeys).toEqual(['cutoff_len', 'learning_rate']);
    expect(t.facets.tags).toEqual(['best']);
    ((globalThis as Record<string, unknown>).__late as () => void)();
    const again = call(d, 'compare.table', { filter: { status: ['finished'] } }) as typeof t;
    expect(again.rows.map((r) => r.runId)).toEqual(['b', 'a']);
    expect(again.rows[1]!.finalLoss).toBeCloseTo(3 - 99 / 50, 12);
    expect(again.rows[1]!.bestEvalLoss).toBeCloseTo(2.5 - 99 / 100, 12);
    expect((call(d, 'compare.table', { filter: { tag: 'best' } }) as typeof t).rows.map((r) => r.runId)).toEqual(['b']);
  });

  it('returns downsampled curves with every x axis, and trainer_state curves for runs without points', () => {
    const d = domain();
    const [a, c] = call(d, 'compare.curves', { runIds: ['a', 'c'], metric: 'loss', maxPoints: 20 }) as CurveSeries[];
    expect(a!.total).toBe(100);
    expect(a!.points).toHaveLength(20);
    expect(a!.points[0]).toEqual({ step: 1, epoch: 0, tokens: 100, time: 0, value: 3 });
    expect(a!.points.at(-1)!.step).toBe(100);
    expect(c!.source).toBe('trainer_state');
    expect(c!.total).toBe(48);
  });

  it('exports CSV with the differing keys and an HTML report with inline SVG', () => {
    const d = domain();
    const { csv } = call(d, 'compare.exportCsv', {}) as { csv: string };
    const lines = csv.split('\r\n');
    expect(lines[0]).toMatch(/,learning_rate$/);
    expect(lines).toHaveLength(5);
    const { html } = call(d, 'compare.exportHtml', { runIds: ['a', 'b'] }) as { html: string };
    expect(html.match(/<svg /g)).toHaveLength(3);
    expect(html).toContain('<td class="diff">0.0001</td>');
    expect(html).not.toMatch(/<script|https?:\/\/(?!www\.w3\.org)/);
  });

  it('runs a spot-check through a streaming server and stores scores and latencies', async () => {
    const d = domain();
    const events: SpotCheckSummary[] = [];
    const off = bus.on('compare.changed', (e) => e.spotCheck && events.push(e.spotCheck));
    const s = call(d, 'compare.spotCheck', {
      runId: 'a',
      content: '{"prompt":"How long to return?","expected":"30 days"}\n{"prompt":"Shipping?","expected":"3 to 5 business days"}\n',
      fileName: 't.jsonl',
    }) as SpotCheckSummary;
    expect(s.total).toBe(2);
    await expect.poll(() => events.at(-1)?.status, { timeout: 10_000 }).toBe('finished');
    off();
    const detail = call(d, 'compare.spotCheckDetail', { id: s.id }) as SpotCheckDetail;
    expect(detail.items.map((i) => i.answer)).toEqual(['You have 30 days.', 'No idea']);
    expect(detail.items[0]).toMatchObject({ exact: false, contains: true, tokens: 3 });
    expect(detail.items[0]!.ttftMs).toBeGreaterThan(0);
    expect(detail.contains).toBe(0.5);
    expect(detail.exactMatch).toBe(0);
    const t = call(d, 'compare.table', {}) as CompareTable;
    expect(t.rows.find((r) => r.runId === 'a')!.spotCheck!.meanTotalMs).toBeGreaterThan(0);
    // The contract's summaries carry exactly SpotCheckSummary's fields: the run they are stored under is not one of them.
    for (const summary of [...events, t.rows.find((r) => r.runId === 'a')!.spotCheck!]) expect(summary).not.toHaveProperty('runId');
    expect(detail.runId).toBe('a');
    expect(() => call(d, 'compare.spotCheck', { runId: 'a', content: '{"prompt": 1}', fileName: 'bad.jsonl' })).toThrow('bad.jsonl line 1: "prompt" without "expected".');
  });
});
