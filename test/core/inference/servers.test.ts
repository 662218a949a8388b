/** Inference servers as real processes: config, readiness, streaming through openai, stop, crash mid-answer, port clash, close and idle. */
import net from 'node:net';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import type { Run } from '../../../src/shared/types/run.js';
import { alive, makeRig } from './helpers.js';

const rig = makeRig();
let run: Run;

beforeAll(async () => {
  rig.chat.start?.();
  run = await rig.trainedRun('support-a');
});
afterAll(() => rig.cleanup());

const text = (messageId: string) => rig.deltas.filter((d) => d.messageId === messageId && 'text' in d);

describe('chat servers', () => {
  it('serves the run with an inference config from its config copy, as an api run the scheduler sees', async () => {
    const started = await rig.call('chat.serve', { runId: run.id });
    expect(started.status).toBe('starting');
    const apiRun = rig.runs.supervisor.get(started.id)!;
    expect(apiRun.kind).toBe('api');
    expect(apiRun.parentRunId).toBe(run.id);
    expect(apiRun.env.API_HOST).toBe('127.0.0.1');
    expect(apiRun.env.API_PORT).toBe(String(started.port));
    expect(apiRun.env.API_KEY).toBe(started.apiKey);
    expect(started.apiKey.length).toBeGreaterThan(30);
    expect(rig.runs.supervisor.active().map((r) => r.id)).toContain(started.id);
    const ready = await rig.chat.servers.ensureServer(run.id);
    expect(ready.baseURL).toBe(`http://127.0.0.1:${started.port}/v1`);
    expect(ready.model).toBe('support-a');

    const conv = await rig.call('chat.createConversation', { runId: run.id });
    const sent = await rig.call('chat.send', { conversationId: conv.id, content: '__config__' });
    const done = await rig.finalOf(sent.assistant.id);
    expect(done.status).toBe('done');
    expect(done.content).toContain(`adapter_name_or_path: ${run.outputDir}`);
    expect(done.content).toContain('template: demo');
    expect(done.content).toContain('finetuning_type: lora');
    expect(done.content).toContain('infer_backend: huggingface');
    expect(done.content).not.toContain('output_dir');
  });

  it('streams an answer in several deltas with latency figures, and keeps the conversation in SQLite', async () => {
    const conv = await rig.call('chat.createConversation', { runId: run.id, params: { temperature: 0.2, topP: 0.8, maxTokens: 200 } });
    const sent = await rig.call('chat.send', { conversationId: conv.id, content: 'how long do returns take' });
    const done = await rig.finalOf(sent.assistant.id);
    const pieces = text(sent.assistant.id);
    expect(pieces.length).toBeGreaterThanOrEqual(2);
    expect(pieces.map((p) => ('text' in p ? p.text : '')).join('')).toBe('You said: how long do returns take');
    expect(done.finishReason).toBe('stop');
    expect(done.stats!.completionTokens).toBe(pieces.length);
    expect(done.stats!.ttftMs).not.toBeNull();
    expect(done.stats!.tokensPerSec).toBeGreaterThan(0);
    const stored = await rig.call('chat.messages', { conversationId: conv.id });
    expect(stored.map((m) => [m.role, m.status])).toEqual([
      ['user', 'done'],
      ['assistant', 'done'],
    ]);
    expect(stored[1]!.content).toBe(done.content);
    const convs = await rig.call('chat.conversations', { runId: run.id });
    expect(convs.find((c) => c.id === conv.id)?.title).toBe('how long do returns take');

    // Regenerate replaces the last answer, history stays alternating (the server would answer 400 otherwise).
    const again = await rig.call('chat.regenerate', { conversationId: conv.id });
    expect((await rig.finalOf(again.id)).status).toBe('done');
    const after = await rig.call('chat.messages', { conversationId: conv.id });
    expect(after.map((m) => m.id)).toEqual([stored[0]!.id, again.id]);
    const second = await rig.call('chat.send', { conversationId: conv.id, content: 'and exchanges?' });
    expect((await rig.finalOf(second.assistant.id)).content).toBe('You said: and exchanges?');
  });

  it('stop aborts the stream and keeps what arrived', async () => {
    const conv = await rig.call('chat.createConversation', { runId: run.id });
    rig.apiFlags.current = [];
    const sent = await rig.call('chat.send', { conversationId: conv.id, content: 'x '.repeat(400) });
    while (text(sent.assistant.id).length < 2) await new Promise((r) => setTimeout(r, 10));
    await rig.call('chat.stop', { messageId: sent.assistant.id });
    const done = await rig.finalOf(sent.assistant.id);
    expect(done.status).toBe('stopped');
    expect(done.content.length).toBeGreaterThan(0);
    expect(done.content.length).toBeLessThan(('You said: ' + 'x '.repeat(400)).length);
    const stored = (await rig.call('chat.messages', { conversationId: conv.id })).at(-1)!;
    expect(stored.status).toBe('stopped');
    expect(stored.content).toBe(done.content);
  });

  it('a server that crashes mid-answer: the answer says so, is restartable, and a restart + regenerate works', async () => {
    rig.apiFlags.current = ['--crash-after', '3'];
    const target = { runId: run.id, checkpoint: 'checkpoint-2' };
    const conv = await rig.call('chat.createConversation', target);
    const sent = await rig.call('chat.send', { conversationId: conv.id, content: 'one two three four five six seven' });
    const done = await rig.finalOf(sent.assistant.id);
    expect(done.status).toBe('error');
    expect(done.restartable).toBe(true);
    expect(done.error).toMatch(/stopped mid-answer/);
    // What arrived before the crash is kept (the last piece may die in the socket with the process).
    expect(done.content).toMatch(/^You said: /);
    expect('You said: one two '.startsWith(done.content)).toBe(true);
    const failed = await waitFor(() => rig.chat.pool.find(target), (s) => s?.status === 'failed');
    expect(failed!.failure!.logTail).toContain('Segmentation fault');

    rig.apiFlags.current = [];
    const restarted = await rig.call('chat.serve', target);
    expect(restarted.status).toBe('starting');
    expect(rig.runs.supervisor.get(restarted.id)!.configPath).not.toBe(rig.runs.supervisor.get(failed!.id)!.configPath);
    const again = await rig.call('chat.regenerate', { conversationId: conv.id });
    const ok = await rig.finalOf(again.id);
    expect(ok.status).toBe('done');
    expect(ok.content).toBe('You said: one two three four five six seven');
  });

  it('picks another port when the chosen one turns out taken, and closing the chat stops the process', async () => {
    const other = await rig.trainedRun('support-b');
    rig.apiFlags.current = ['--load-ms', '600'];
    const first = await rig.call('chat.serve', { runId: other.id });
    // Take its port while it "loads": it fails to bind with "address already in use".
    const blocker = net.createServer();
    await new Promise<void>((r) => blocker.listen(first.port, '127.0.0.1', () => r()));
    try {
      const ready = await rig.chat.servers.ensureServer(other.id);
      const now = rig.chat.pool.find({ runId: other.id, checkpoint: null })!;
      expect(now.port).not.toBe(first.port);
      expect(now.id).not.toBe(first.id);
      expect(ready.baseURL).toContain(`:${now.port}/`);
      expect(rig.runs.supervisor.get(first.id)!.status).toBe('failed');
      const pid = rig.runs.supervisor.get(now.id)!.pid;
      expect(alive(pid)).toBe(true);
      await rig.call('chat.close', { runId: other.id });
      const ended = await rig.runs.supervisor.waitForEnd(now.id, 10_000);
      expect(ended.status).toBe('stopped');
      expect(alive(pid)).toBe(false);
      expect(rig.chat.pool.find({ runId: other.id, checkpoint: null })).toBeNull();
    } finally {
      blocker.close();
    }
  });

  it('idle servers stop, deployed ones stay', async () => {
    rig.apiFlags.current = [];
    const a = await rig.chat.servers.ensureServer(run.id);
    const b = await rig.chat.servers.ensureServer(run.id, 'checkpoint-2');
    await rig.call('chat.deploy', { serverId: b.serverId, deployed: true });
    const stopped = await rig.chat.pool.sweepIdle(Date.now() + 24 * 3600_000);
    expect(stopped).toEqual([a.serverId]);
    expect((await rig.runs.supervisor.waitForEnd(a.serverId, 10_000)).status).toBe('stopped');
    expect(rig.chat.pool.byId(b.serverId)?.status).toBe('ready');
    // A deployed server survives closing the chat, and stops on request.
    await rig.call('chat.close', { runId: run.id, checkpoint: 'checkpoint-2' });
    expect(rig.chat.pool.byId(b.serverId)?.status).toBe('ready');
    await rig.call('chat.stopServer', { serverId: b.serverId });
    expect((await rig.runs.supervisor.waitForEnd(b.serverId, 10_000)).status).toBe('stopped');
  });

  it('refuses a checkpoint that does not exist with a clear message', async () => {
    await expect(rig.call('chat.serve', { runId: run.id, checkpoint: 'checkpoint-999' })).rejects.toThrow(/checkpoint-999 does not exist/);
    await expect(rig.call('chat.serve', { runId: 'run_nope' })).rejects.toThrow(/No run/);
  });
});

async function waitFor<T>(get: () => T, ok: (v: T) => boolean, timeoutMs = 10_000): Promise<T> {
  const t0 = Date.now();
  for (;;) {
    const v = get();
    if (ok(v)) return v;
    if (Date.now() - t0 > timeoutMs) throw new Error('condition not met in time');
    await new Promise((r) => setTimeout(r, 20));
  }
}
