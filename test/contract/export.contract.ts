/** Contract: "Export merged model" runs the real `llamafactory-cli export` with the keys Trainyard derives, and the merged model is served by the real `llamafactory-cli api`. */
import { existsSync, readFileSync } from 'node:fs';
import { join } from 'node:path';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import type { Run } from '../../src/shared/types/run.js';
import { findLf, makeLfFolder, skipNote, startEngine, tinyExample, type Engine } from './lf.js';

const { lf, skip } = findLf();

describe.skipIf(!lf)(`export of a LoRA run on the real llamafactory-cli${skipNote(skip)}`, () => {
  let engine: Engine;
  let lora: Run;
  let merged: Run;

  beforeAll(async () => {
    const lfDir = makeLfFolder(lf!);
    engine = await startEngine(lf!, lfDir);
    const path = tinyExample(lf!, lfDir, 'train_lora/qwen3_lora_sft.yaml', 'lora_export', { max_steps: 2, output_dir: 'saves/lora_export' });
    const { tasks } = await engine.call('tasks.import', { paths: [path] });
    await engine.call('board.enqueue', { taskId: tasks[0]!.id, lane: 'auto' });
    lora = await engine.waitForEnd((await engine.waitForRun((r) => r.taskId === tasks[0]!.id, 'the LoRA run')).id);
    expect(lora.status, lora.failure?.message.text).toBe('finished');
  });
  afterAll(async () => {
    for (const s of (await engine?.call('chat.servers', {}).catch(() => [])) ?? []) await engine.call('chat.stopServer', { serverId: s.id }).catch(() => undefined);
    await engine?.close();
  });

  it('merges the adapter into the base model: LF accepts every key and writes a loadable model folder', async () => {
    const started = await engine.call('runs.export', { id: lora.id });
    expect(started.kind).toBe('export');
    expect(started.argv[1]).toBe('export');
    merged = await engine.waitForEnd(started.id);
    expect(merged.status, merged.failure?.message.text).toBe('finished');
    expect(merged.outputDir).toBe(join(lora.outputDir, 'merged'));
    for (const f of ['config.json', 'tokenizer_config.json', 'Modelfile']) expect(existsSync(join(merged.outputDir, f)), f).toBe(true);
    expect(existsSync(join(merged.outputDir, 'model.safetensors')) || existsSync(join(merged.outputDir, 'model.safetensors.index.json'))).toBe(true);
    // A plain model now: no adapter config, and LF restored left padding on the tokenizer (tuner.py:263-265).
    expect(existsSync(join(merged.outputDir, 'adapter_config.json'))).toBe(false);
    expect((JSON.parse(readFileSync(join(merged.outputDir, 'tokenizer_config.json'), 'utf8')) as { padding_side?: string }).padding_side).toBe('left');
  });

  it('serves the merged model for chat', async () => {
    const s = await engine.call('chat.serve', { runId: merged.id, checkpoint: null });
    const end = Date.now() + 600_000;
    for (;;) {
      const now = (await engine.call('chat.servers', {})).find((x) => x.id === s.id);
      if (now?.status === 'ready') break;
      if (now?.status === 'failed' || !now) throw new Error(`the server failed: ${now?.failure?.message ?? 'gone'}\n${now?.failure?.logTail ?? ''}`);
      if (Date.now() > end) throw new Error('the server did not get ready');
      await new Promise((r) => setTimeout(r, 500));
    }
  });
});
