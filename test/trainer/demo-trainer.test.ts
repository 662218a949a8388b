/** The bundled demo trainer speaks LLaMA-Factory's contract: real training, LF output files, resume, abort, the OpenAI API. */
import { existsSync, mkdtempSync, readdirSync, readFileSync, rmSync } from 'node:fs';
import { createServer } from 'node:net';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import OpenAI from 'openai';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { abortUnderLlamaBoard, EXAMPLES, readJson, readLines, runToEnd, start, waitFor, type Run } from './trainerProcess.js';

const TMP = mkdtempSync(join(tmpdir(), 'trainyard-demo-'));
const SUPPORT_OUT = join(TMP, 'support');

async function freePort(): Promise<number> {
  return new Promise((res) => {
    const s = createServer();
    s.listen(0, '127.0.0.1', () => {
      const port = (s.address() as { port: number }).port;
      s.close(() => res(port));
    });
  });
}

let trained: Run;

beforeAll(async () => {
  trained = await runToEnd(['train', 'support-lora.yaml', `output_dir=${SUPPORT_OUT}`]);
}, 180_000);

afterAll(() => rmSync(TMP, { recursive: true, force: true }));

describe('demo trainer: train support-lora', () => {
  it('exits 0, loss falls, and writes the LLaMA-Factory output files', () => {
    expect(trained.code, trained.out.slice(-3000)).toBe(0);
    const log = readLines(join(SUPPORT_OUT, 'trainer_log.jsonl'));
    const lossLines = log.filter((l) => typeof l.loss === 'number');
    expect(lossLines.length).toBeGreaterThan(5);
    const first = lossLines[0]!.loss as number;
    const last = lossLines[lossLines.length - 1]!.loss as number;
    expect(last).toBeLessThan(first * 0.5);
    // exact LogCallback field order for train lines and the final summary line
    expect(Object.keys(lossLines[0]!)).toEqual(['current_steps', 'total_steps', 'loss', 'lr', 'epoch', 'percentage',
      'elapsed_time', 'remaining_time', 'throughput', 'total_tokens']);
    const summary = log[log.length - 1]!;
    expect(Object.keys(summary)).toEqual(['current_steps', 'total_steps', 'epoch', 'percentage', 'elapsed_time',
      'remaining_time', 'throughput', 'total_tokens']);
    expect(summary.current_steps).toBe(summary.total_steps);
    expect(summary.percentage).toBe(100);
    for (const l of log) expect(l.elapsed_time).toMatch(/^\d+:\d\d:\d\d$/);

    for (const f of ['adapter_config.json', 'adapter_model.safetensors', 'trainer_state.json', 'train_results.json',
      'all_results.json', 'README.md']) expect(existsSync(join(SUPPORT_OUT, f)), f).toBe(true);
    const tr = readJson(join(SUPPORT_OUT, 'train_results.json'));
    expect(Object.keys(tr).sort()).toEqual(['epoch', 'total_flos', 'train_loss', 'train_runtime',
      'train_samples_per_second', 'train_steps_per_second']);
    const st = readJson(join(SUPPORT_OUT, 'trainer_state.json'));
    expect(st.global_step).toBe(st.max_steps);
    const hist = st.log_history as Record<string, unknown>[];
    expect(Object.keys(hist[0]!).sort()).toEqual(['epoch', 'grad_norm', 'learning_rate', 'loss', 'step']);
    expect(hist[hist.length - 1]).toHaveProperty('train_loss');
    const ac = readJson(join(SUPPORT_OUT, 'adapter_config.json'));
    expect(ac).toMatchObject({ peft_type: 'LORA', r: 16, lora_alpha: 32 });
    // safetensors: 8-byte little-endian header length + JSON header
    const st8 = readFileSync(join(SUPPORT_OUT, 'adapter_model.safetensors'));
    const hlen = Number(st8.readBigUInt64LE(0));
    const header = JSON.parse(st8.subarray(8, 8 + hlen).toString('utf8')) as Record<string, unknown>;
    expect(Object.keys(header).some((k) => k.includes('lora_A'))).toBe(true);
    // checkpoints honour save_total_limit: 3 and hold the resume state
    const cps = readdirSync(SUPPORT_OUT).filter((c) => /^checkpoint-\d+$/.test(c))
      .sort((a, b) => Number(a.slice(11)) - Number(b.slice(11)));
    expect(cps.length).toBeGreaterThan(0);
    expect(cps.length).toBeLessThanOrEqual(3);
    expect(cps[cps.length - 1]).toBe(`checkpoint-${String(st.global_step)}`);
    for (const f of ['optimizer.pt', 'scheduler.pt', 'rng_state.pth', 'trainer_state.json', 'adapter_model.safetensors'])
      expect(existsSync(join(SUPPORT_OUT, cps[cps.length - 1]!, f)), f).toBe(true);
    // HF console: metric dicts and a tqdm bar with carriage returns
    expect(trained.out).toMatch(/\{'loss': [\d.]+, 'grad_norm': [\d.e-]+, 'learning_rate': [\d.e-]+, 'epoch': [\d.]+\}/);
    expect(trained.out).toMatch(/\r\s*\d+%\|[^|]*\| \d+\/\d+ \[\d\d:\d\d<[\d:?]+, +[\d.]+(it\/s|s\/it)\]/);
  });
});

describe('demo trainer: api server', () => {
  let api: Run;
  let port = 0;
  const spot = readFileSync(join(EXAMPLES, 'data', 'spot-check.jsonl'), 'utf8').trim().split('\n')
    .map((l) => JSON.parse(l) as { prompt: string; expected: string });

  beforeAll(async () => {
    port = await freePort();
    api = start(['api', 'infer-support.yaml', `adapter_name_or_path=${SUPPORT_OUT}`],
      { API_HOST: '127.0.0.1', API_PORT: String(port), API_KEY: 'sk-trainyard' });
    await waitFor(api, () => api.out.includes(`Visit http://localhost:${port}/docs`), 60_000);
  }, 90_000);

  afterAll(async () => {
    api.child.kill('SIGTERM');
    await api.done;
  });

  const client = (): OpenAI => new OpenAI({ apiKey: 'sk-trainyard', baseURL: `http://127.0.0.1:${port}/v1`, maxRetries: 0 });

  it('answers the spot-check questions with the key phrase (>= 80%), non-streaming', async () => {
    expect(spot.length).toBeGreaterThanOrEqual(20);
    let hits = 0;
    for (const { prompt, expected } of spot) {
      const r = await client().chat.completions.create({ model: 'demo', messages: [{ role: 'user', content: prompt }], temperature: 0 });
      expect(r.object).toBe('chat.completion');
      if ((r.choices[0]?.message.content ?? '').includes(expected)) hits++;
    }
    expect(hits / spot.length).toBeGreaterThanOrEqual(0.8);
  }, 300_000); // 38 generations: minutes when other work shares the CPU

  it('streams piece by piece with the same accuracy', async () => {
    let hits = 0;
    for (const { prompt, expected } of spot) {
      const s = await client().chat.completions.create({ model: 'demo', messages: [{ role: 'user', content: prompt }],
        temperature: 0, stream: true });
      let text = '';
      let chunks = 0;
      let finish: string | null = null;
      for await (const c of s) {
        chunks++;
        text += c.choices[0]?.delta.content ?? '';
        finish = c.choices[0]?.finish_reason ?? finish;
      }
      expect(chunks).toBeGreaterThan(3);
      expect(finish).toBe('stop');
      if (text.includes(expected)) hits++;
    }
    expect(hits / spot.length).toBeGreaterThanOrEqual(0.8);
  }, 300_000); // 38 generations: minutes when other work shares the CPU

  it('lists the model, rejects a wrong key with 401 and a malformed request with 400', async () => {
    const models = await client().models.list();
    expect(models.data[0]?.id).toBe('gpt-3.5-turbo');
    const bad = new OpenAI({ apiKey: 'wrong', baseURL: `http://127.0.0.1:${port}/v1`, maxRetries: 0 });
    await expect(bad.chat.completions.create({ model: 'demo', messages: [{ role: 'user', content: 'hi' }] }))
      .rejects.toMatchObject({ status: 401 });
    const raw = await fetch(`http://127.0.0.1:${port}/v1/chat/completions`, { method: 'POST',
      headers: { authorization: 'Bearer wrong' }, body: '{}' });
    expect(raw.status).toBe(401);
    expect(await raw.json()).toEqual({ detail: 'Invalid API key.' });
    await expect(client().chat.completions.create({ model: 'demo', messages: [
      { role: 'user', content: 'a' }, { role: 'user', content: 'b' }] })).rejects.toMatchObject({ status: 400 });
    const notJson = await fetch(`http://127.0.0.1:${port}/v1/chat/completions`, { method: 'POST',
      headers: { authorization: 'Bearer sk-trainyard', 'content-type': 'application/json' }, body: '{not json' });
    expect(notJson.status).toBe(400);
    expect(((await notJson.json()) as { detail: string }).detail).toMatch(/Invalid JSON/);
  }, 120_000);
});

describe('demo trainer: interruption', () => {
  it('resumes from the latest checkpoint after kill -9', async () => {
    const out = join(TMP, 'resume');
    const args = ['train', 'support-lora.yaml', `output_dir=${out}`, 'overwrite_output_dir=false', 'max_steps=24',
      'save_steps=6', 'logging_steps=2'];
    const r1 = start(args, { DEMO_TRAINER_STEP_DELAY_MS: '250' });
    await waitFor(r1, () => r1.out.includes('checkpoint-12'), 60_000);
    r1.child.kill('SIGKILL');
    await r1.done;
    expect(r1.signal).toBe('SIGKILL');
    expect(existsSync(join(out, 'adapter_model.safetensors'))).toBe(false);
    const r2 = await runToEnd(args);
    expect(r2.code, r2.out.slice(-2000)).toBe(0);
    expect(r2.out).toMatch(/Resuming training from .*checkpoint-1[28]\./);
    const st = readJson(join(out, 'trainer_state.json'));
    expect(st.global_step).toBe(24);
    // appended log: steps before the kill, then the resumed ones (overlap allowed), then the summary
    const steps = readLines(join(out, 'trainer_log.jsonl')).map((l) => l.current_steps as number);
    expect(steps[0]).toBe(2);
    expect(steps[steps.length - 1]).toBe(24);
  }, 150_000);

  it('stops gracefully on SIGABRT with LLAMABOARD_ENABLED=1 and still saves the adapter', async () => {
    const out = join(TMP, 'abort');
    const r = await abortUnderLlamaBoard(['train', 'support-lora.yaml', `output_dir=${out}`, 'logging_steps=2'], out, 200);
    expect(r.code, r.out.slice(-2000)).toBe(0);
    expect(existsSync(join(out, 'adapter_model.safetensors'))).toBe(true);
    expect(existsSync(join(out, 'train_results.json'))).toBe(true);
    expect(readFileSync(join(out, 'running_log.txt'), 'utf8')).toMatch(/\[INFO\|[\d-]+ [\d:]+\] \w+\.py:\d+ >> /);
    const st = readJson(join(out, 'trainer_state.json'));
    expect(st.global_step as number).toBeLessThan(st.max_steps as number);
  }, 90_000);
});

// Each runToEnd starts Python and imports PyTorch: on a busy 2-core machine three of them took over 30 s (a CI run),
// so these tests get 2 minutes; they end as soon as the trainer does.
describe('demo trainer: config errors and CLI', () => {
  it('refuses unknown keys like HfArgumentParser, unless ALLOW_EXTRA_ARGS=1', async () => {
    const r = await runToEnd(['train', 'broken-config.yaml', `output_dir=${join(TMP, 'broken')}`]);
    expect(r.code).not.toBe(0);
    expect(r.out).toContain("ValueError: Some keys are not used by the HfArgumentParser: ['learning_rat']");
    const r2 = await runToEnd(['train', 'broken-config.yaml', `output_dir=${join(TMP, 'broken')}`], { ALLOW_EXTRA_ARGS: '1' });
    expect(r2.code).not.toBe(0);
    expect(r2.out).toContain('Undefined dataset support_shop_v2 in dataset_info.json.');
  }, 120_000);

  it('refuses the 70B full fine-tune, freeze tuning and bad values with one clear line', async () => {
    const big = await runToEnd(['train', 'too-big-70b-full.yaml']);
    expect(big.code).not.toBe(0);
    expect(big.out).toMatch(/can only load its own demo_byte_llama models/);
    const freeze = await runToEnd(['train', 'support-lora.yaml', 'finetuning_type=freeze', `output_dir=${join(TMP, 'f')}`]);
    expect(freeze.out).toContain('not supported by the demo trainer');
    const badLr = await runToEnd(['train', 'support-lora.yaml', 'learning_rate=fast', `output_dir=${join(TMP, 'f')}`]);
    expect(badLr.code).not.toBe(0);
    expect(badLr.out).toContain("Invalid value 'fast' for learning_rate");
  }, 120_000);

  it('injects a real CUDA OOM error text at a given step', async () => {
    const r = await runToEnd(['train', 'support-lora.yaml', `output_dir=${join(TMP, 'oom')}`],
      { DEMO_TRAINER_FAIL_AT_STEP: '2', DEMO_TRAINER_FAIL_KIND: 'oom' });
    expect(r.code).toBe(1);
    expect(r.out).toContain('torch.OutOfMemoryError: CUDA out of memory. Tried to allocate 2.00 GiB. GPU 0 has a total capacity of 79.19 GiB');
  }, 120_000);

  it('has the llamafactory-cli command surface', async () => {
    expect((await runToEnd(['version'])).out).toContain('Welcome to LLaMA Factory, version 0.9.6.dev0');
    const unk = await runToEnd(['frobnicate']);
    expect(unk.code).toBe(1);
    expect(unk.out).toContain('Unknown command');
    expect(unk.out).toContain('Usage:');
  }, 120_000);
});
