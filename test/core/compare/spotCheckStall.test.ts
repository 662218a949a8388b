/** Spot-check against a server that stalls: the idle timeout fails the prompt and the check moves on; cancel stops a check at once. */
import { mkdtempSync } from 'node:fs';
import { createServer, type Server, type ServerResponse } from 'node:http';
import type { AddressInfo } from 'node:net';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { EventBus } from '../../../src/core/bus.js';
import { createCompareDomain } from '../../../src/core/compare/compareDomain.js';
import { runSpotCheck, streamAnswer } from '../../../src/core/compare/spotCheck.js';
import type { CoreContext } from '../../../src/core/context.js';
import { createCompareRepo } from '../../../src/core/store/compareRepo.js';
import { openDb, type Db } from '../../../src/core/store/db.js';
import { createRunsRepo, type RunsRepo, type StoredRun } from '../../../src/core/store/runsRepo.js';
import type { SpotCheckDetail, SpotCheckSummary } from '../../../src/shared/types/compare.js';
import { readOnlySupervisor } from './readOnlySupervisor.js';
import { sourceTreeRuntime } from '../../helpers/runtime.js';

const tmp = mkdtempSync(join(tmpdir(), 'cmp-stall-'));
let db: Db;
let runs: RunsRepo;
let server: Server;
let base = '';
const open = new Set<ServerResponse>();

beforeAll(async () => {
  db = openDb(join(tmp, 'db.sqlite'));
  runs = createRunsRepo(db);
  const r: StoredRun = {
    id: 'a', name: 'a', kind: 'train', taskId: 't1', sweepId: null, parentRunId: null, status: 'finished', gpuIndices: [0], gpuUuids: ['GPU-a'],
    outputDir: tmp, runDir: tmp, configPath: join(tmp, 'config.yaml'), workDir: tmp, argv: [], env: {}, masterPort: null, pid: null,
    holderPid: null, exitCode: 0, signal: null, failure: null, estimateMiB: null, peakMiB: null, progress: null, tags: [], notes: '',
    createdAt: 1000, startedAt: 1000, endedAt: 2000,
  };
  runs.save(r);
  // Prompts containing "stall" get headers and one chunk, then nothing; "silent" gets no headers at all; others a full answer.
  server = createServer((req, res) => {
    let body = '';
    req.on('data', (d: Buffer) => (body += d.toString()));
    req.on('end', () => {
      const prompt = (JSON.parse(body) as { messages: { content: string }[] }).messages[0]!.content;
      const chunk = (content: string) => `data: ${JSON.stringify({ choices: [{ index: 0, delta: { content } }] })}\n\n`;
      open.add(res);
      res.on('close', () => open.delete(res));
      if (prompt.includes('silent')) return;
      res.writeHead(200, { 'Content-Type': 'text/event-stream' });
      if (prompt.includes('stall')) return void res.write(chunk('Partly'));
      res.end(chunk('ok') + 'data: [DONE]\n\n');
    });
  });
  await new Promise<void>((ok) => server.listen(0, '127.0.0.1', ok));
  base = `http://127.0.0.1:${(server.address() as AddressInfo).port}/v1`;
});
afterAll(() => {
  for (const r of open) r.destroy();
  server?.close();
  db?.close();
});

const srv = () => ({ baseURL: base, apiKey: 'k', model: 'm' });

describe('spot-check idle timeout', () => {
  it('streamAnswer fails with a clear message when the body stalls, and when no headers come', async () => {
    const t0 = Date.now();
    await expect(streamAnswer(srv(), 'please stall', 16, undefined, 300)).rejects.toThrow('The server sent nothing for 300 ms; gave up on this prompt.');
    await expect(streamAnswer(srv(), 'silent', 16, undefined, 300)).rejects.toThrow(/sent nothing for 300 ms/);
    expect(Date.now() - t0).toBeLessThan(5000);
    // A caller's abort is reported as an abort, not as a stall.
    const ac = new AbortController();
    const p = streamAnswer(srv(), 'please stall', 16, ac.signal, 10_000);
    setTimeout(() => ac.abort(), 100);
    await expect(p).rejects.not.toThrow(/sent nothing/);
    // A healthy answer is untouched.
    expect((await streamAnswer(srv(), 'hi', 16, undefined, 300)).answer).toBe('ok');
  });

  it('a stalled prompt fails its item and the check goes on; every prompt stalled ends failed', async () => {
    const repo = createCompareRepo(db);
    const mk = (id: string, prompts: string[]) => {
      repo.insertSpotCheck({ id, runId: 'a', status: 'running', file: 't', total: prompts.length, done: 0, exactMatch: null, contains: null, rougeL: null, meanTtftMs: null, meanTotalMs: null, meanTokensPerSec: null, error: null, createdAt: Date.now() } as SpotCheckSummary & { runId: string });
      return { id, runId: 'a', file: 't', cases: prompts.map((p) => ({ prompt: p, expected: 'ok' })), maxTokens: 16, idleMs: 300 };
    };
    const provider = { ensureServer: () => Promise.resolve(srv()) };
    await runSpotCheck(mk('chk1', ['stall here', 'hi']), repo, provider, () => undefined);
    expect(repo.spotCheck('chk1')).toMatchObject({ status: 'finished', done: 2 });
    const items = repo.items('chk1');
    expect(items[0]!.error).toMatch(/sent nothing for 300 ms/);
    expect(items[1]).toMatchObject({ answer: 'ok', error: null });
    await runSpotCheck(mk('chk2', ['stall', 'silent']), repo, provider, () => undefined);
    expect(repo.spotCheck('chk2')).toMatchObject({ status: 'failed', done: 2 });
  });

  it('compare.cancelSpotCheck stops a running check at once and keeps it stopped', async () => {
    const bus = new EventBus();
    const ctx = { db, bus, paths: {} as never, host: 'serve', runtime: sourceTreeRuntime(), resourcesDir: '', settings: () => ({}) as never, env: {} } as CoreContext;
    const supervisor = readOnlySupervisor(() => runs);
    const d = createCompareDomain(ctx, { runs: supervisor, inference: { ensureServer: () => Promise.resolve(srv()) } });
    const call = (m: string, p: unknown) => (d.handlers as Record<string, (p: unknown, c: unknown) => unknown>)[m]!(p, {});
    const s = call('compare.spotCheck', { runId: 'a', content: '{"prompt":"hi","expected":"ok"}\n{"prompt":"stall","expected":"ok"}\n{"prompt":"hi","expected":"ok"}\n', fileName: 't.jsonl' }) as SpotCheckSummary;
    // Wait until the stalled second prompt is in flight (the default idle timeout would hold it for 120 s).
    await expect.poll(() => (call('compare.spotCheckDetail', { id: s.id }) as SpotCheckDetail).done, { timeout: 5000 }).toBe(1);
    await new Promise((r) => setTimeout(r, 100));
    const c = call('compare.cancelSpotCheck', { id: s.id }) as SpotCheckSummary;
    expect(c).toMatchObject({ status: 'failed', error: 'Stopped.', done: 1 });
    expect(c).not.toHaveProperty('runId');
    await new Promise((r) => setTimeout(r, 200));
    const after = call('compare.spotCheckDetail', { id: s.id }) as SpotCheckDetail;
    expect(after).toMatchObject({ status: 'failed', error: 'Stopped.', done: 1 });
    // Cancelling an ended check returns it unchanged; an unknown id is not found.
    expect(call('compare.cancelSpotCheck', { id: s.id })).toMatchObject({ status: 'failed' });
    expect(() => call('compare.cancelSpotCheck', { id: 'nope' })).toThrow(/No spot-check nope/);
  });
});
