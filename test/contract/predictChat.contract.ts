/**
 * Contract: what Trainyard derives from a finished run is accepted by the real LLaMA-Factory. Predict writes
 * generated_predictions.jsonl; chat and deploy talk to the real `llamafactory-cli api`; an OFT run (a PEFT adapter that
 * LF's parser only loads as finetuning_type lora) and a config without `template` (LF parses the tokenizer's) work too.
 */
import { readFileSync } from 'node:fs';
import { join } from 'node:path';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import type { ChatServer } from '../../src/shared/types/chat.js';
import type { Run } from '../../src/shared/types/run.js';
import { findLf, makeLfFolder, predictSkip, skipNote, startEngine, tinyExample, type Engine } from './lf.js';

const { lf, skip } = findLf();
// LLaMA-Factory is set up, so the packages its predict needs must be too: a failure to get them fails these tests
// (the suite skips only where setup.sh says this machine cannot have LLaMA-Factory at all).
const noPredict = skip ? null : predictSkip();
const needPredictPackages = () => {
  if (noPredict) throw new Error(`LLaMA-Factory's predict cannot run here: ${noPredict}`);
};

describe.skipIf(!lf)(`runs derived from a finished run, on the real llamafactory-cli${skipNote(skip)}`, () => {
  let engine: Engine;
  let lfDir: string;
  let lora: Run;
  let oft: Run;

  beforeAll(async () => {
    lfDir = makeLfFolder(lf!);
    engine = await startEngine(lf!, lfDir);
    const loraPath = tinyExample(lf!, lfDir, 'train_lora/qwen3_lora_sft.yaml', 'lora_sft');
    // LF's OFT example, without `template`: LF then parses the tokenizer's chat template (data/template.py:674-677).
    const oftPath = tinyExample(lf!, lfDir, 'extras/oft/llama3_oft_sft.yaml', 'oft_sft', { template: undefined });
    const { tasks } = await engine.call('tasks.import', { paths: [loraPath, oftPath] });
    const ended: Run[] = [];
    for (const t of tasks) {
      expect(t.ok, JSON.stringify(t.issues)).toBe(true);
      await engine.call('board.enqueue', { taskId: t.id, lane: 'auto' });
      const run = await engine.waitForRun((r) => r.taskId === t.id, `a run of ${t.name}`);
      ended.push(await engine.waitForEnd(run.id));
    }
    for (const r of ended) expect(r.status, r.failure?.message.text).toBe('finished');
    [lora, oft] = [ended.find((r) => r.name.includes('lora'))!, ended.find((r) => r.name.includes('oft'))!];
  });
  afterAll(async () => {
    for (const s of (await engine?.call('chat.servers', {}).catch(() => [])) ?? []) await engine.call('chat.stopServer', { serverId: s.id }).catch(() => undefined);
    await engine?.close();
  });

  async function predict(run: Run): Promise<Run> {
    const p = await engine.call('compare.predict', { runId: run.id, evalDataset: 'identity', maxSamples: 4 });
    expect(p.workDir).toBe(lfDir);
    return engine.waitForEnd(p.id);
  }

  it('predict writes generated_predictions.jsonl', async () => {
    needPredictPackages();
    const p = await predict(lora);
    expect(p.status, p.failure?.message.text).toBe('finished');
    expect(p.outputDir).toBe(join(lora.outputDir, 'predict-1'));
    const rows = readFileSync(join(p.outputDir, 'generated_predictions.jsonl'), 'utf8').trim().split('\n').map((l) => JSON.parse(l) as Record<string, unknown>);
    expect(rows).toHaveLength(4);
    for (const r of rows) expect(Object.keys(r).sort()).toEqual(['label', 'predict', 'prompt']);
    const shown = await engine.call('compare.predictions', { runId: lora.id });
    expect(shown.totalPredictions).toBe(4);
    expect(shown.figures?.bleu4).toBeTypeOf('number');
    expect(shown.figures?.rougeL).toBeTypeOf('number');
  });

  it('predict of an OFT run loads its adapter', async () => {
    needPredictPackages();
    const p = await predict(oft);
    expect(p.status, p.failure?.message.text).toBe('finished');
    expect(readFileSync(join(p.outputDir, 'generated_predictions.jsonl'), 'utf8').trim().split('\n')).toHaveLength(4);
  });

  async function ready(runId: string): Promise<ChatServer> {
    const s = await engine.call('chat.serve', { runId, checkpoint: null });
    const end = Date.now() + 600_000;
    for (;;) {
      const now = (await engine.call('chat.servers', {})).find((x) => x.id === s.id);
      if (now?.status === 'ready') return now;
      if (now?.status === 'failed' || !now) throw new Error(`the server failed: ${now?.failure?.message ?? 'gone'}\n${now?.failure?.logTail ?? ''}`);
      if (Date.now() > end) throw new Error('the server did not get ready');
      await new Promise((r) => setTimeout(r, 500));
    }
  }

  async function ask(runId: string): Promise<string> {
    const conv = await engine.call('chat.createConversation', { runId, checkpoint: null, params: { temperature: 0, topP: 1, maxTokens: 8 } });
    const { assistant } = await engine.call('chat.send', { conversationId: conv.id, content: 'Who are you?' });
    const end = Date.now() + 300_000;
    for (;;) {
      const m = (await engine.call('chat.messages', { conversationId: conv.id })).find((x) => x.id === assistant.id)!;
      if (m.status !== 'streaming') {
        expect(m.error).toBeNull();
        expect(m.status).toBe('done');
        return m.content;
      }
      if (Date.now() > end) throw new Error('no answer');
      await new Promise((r) => setTimeout(r, 250));
    }
  }

  it('chats with the LoRA run through the real API server, started in the LLaMA-Factory folder', async () => {
    const server = await ready(lora.id);
    const api = await engine.call('runs.get', { id: server.id });
    expect(api.workDir).toBe(lfDir);
    const cfg = (await engine.call('runs.config', { id: server.id })).yaml;
    expect(cfg).toMatch(/^template: qwen3_nothink$/m);
    expect(cfg).toContain(`adapter_name_or_path: ${lora.outputDir}`);
    expect(typeof (await ask(lora.id))).toBe('string');
  });

  it('chats with the OFT run: no invented template, the adapter loaded as LLaMA-Factory allows', async () => {
    const server = await ready(oft.id);
    const cfg = (await engine.call('runs.config', { id: server.id })).yaml;
    expect(cfg).not.toMatch(/^template:/m);
    const log = await engine.call('runs.searchLog', { id: server.id, query: 'chat template from the tokenizer' });
    expect(log.length).toBeGreaterThan(0);
    expect(typeof (await ask(oft.id))).toBe('string');
  });

  it('a deployed server stays up after the chat closes and answers other programs', async () => {
    const server = (await engine.call('chat.servers', {})).find((s) => s.runId === lora.id && s.status === 'ready')!;
    await engine.call('chat.deploy', { serverId: server.id, deployed: true });
    await engine.call('chat.close', { runId: lora.id, checkpoint: null });
    const headers = { Authorization: `Bearer ${server.apiKey}`, 'Content-Type': 'application/json' };
    const models = (await (await fetch(`${server.baseURL}/models`, { headers })).json()) as { data: { id: string }[] };
    expect(models.data.map((m) => m.id)).toContain(server.model);
    const res = await fetch(`${server.baseURL}/chat/completions`, {
      method: 'POST',
      headers,
      body: JSON.stringify({ model: server.model, messages: [{ role: 'user', content: 'Hi' }], max_tokens: 4 }),
    });
    expect(res.status).toBe(200);
    const body = (await res.json()) as { choices: { message: { role: string } }[] };
    expect(body.choices[0]!.message.role).toBe('assistant');
    expect((await fetch(`${server.baseURL}/models`)).status).toBe(401);
  });
});
