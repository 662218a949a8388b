/** Failure classification from log tails and exit statuses, including real LLaMA-Factory logs. */
import { readFileSync } from 'node:fs';
import { join } from 'node:path';
import { describe, expect, it } from 'vitest';
import { classifyFailure } from '../../../src/core/runs/failure.js';
import { verbatim } from '../../../src/shared/messages/message.js';
import { repoRoot } from '../../helpers/fixtures.js';

const c = (tail: string, exitCode: number | null = 1, signal: string | null = null) => classifyFailure({ tail, exitCode, signal });

describe('classifyFailure', () => {
  it.each([
    ['torch.OutOfMemoryError: CUDA out of memory. Tried to allocate 2.00 GiB', 'oom'],
    ['RuntimeError: CUDA out of memory. Tried to allocate 20.00 MiB (GPU 0; 23.69 GiB total capacity)', 'oom'],
    ['[rank1]:[E ProcessGroupNCCL.cpp:563] Watchdog caught collective operation timeout: WorkNCCL(SeqNum=1)', 'nccl'],
    ["OSError: /models/x is not a local folder and is not a valid model identifier listed on 'https://huggingface.co/models'", 'missing-model'],
    ["OSError: Can't load tokenizer for 'foo/bar'.", 'missing-model'],
    ['ValueError: Undefined dataset my_data in dataset_info.json.', 'missing-dataset'],
    ['RuntimeError: The server socket has failed to listen on any local network address. port: 29500, useIpv6: 0, code: -98, name: EADDRINUSE, message: address already in use', 'address-in-use'],
    ["{'loss': nan, 'grad_norm': nan, 'learning_rate': 1e-05, 'epoch': 0.5}", 'nan-loss'],
    ['OSError: [Errno 28] No space left on device', 'disk-full'],
    ["ValueError: Some specified arguments are not used by the HfArgumentParser: ['--lora_rnk']", 'config'],
  ])('%s → %s', (line, kind) => {
    const f = c(`loading...\n${line}\nTraceback tail\n`);
    expect(f.kind).toBe(kind);
    expect(f.message.text).toContain(line.slice(0, 40));
    expect(f.suggestion.text.length).toBeGreaterThan(20);
  });

  it('OOM beats the NCCL errors it causes on other ranks, and suggests the usual fixes', () => {
    const f = c('torch.OutOfMemoryError: CUDA out of memory.\n[rank1] NCCL error: unhandled system error\n');
    expect(f.kind).toBe('oom');
    expect(f.suggestion.text).toMatch(/per_device_train_batch_size.*gradient_accumulation_steps.*gradient_checkpointing.*quantization_bit: 4.*ZeRO-3/);
  });

  it('exit 137 without a message is the kernel OOM killer', () => {
    expect(c('step 10\n', 137).kind).toBe('signal');
    expect(c('step 10\n', 137).suggestion.text).toMatch(/OOM killer/);
  });

  it('a NaN in trainer_log.jsonl counts when the console is silent', () => {
    expect(classifyFailure({ tail: 'done\n', exitCode: 1, signal: null, nanLoss: true }).kind).toBe('nan-loss');
  });

  it('unknown errors show the last error line', () => {
    const f = c('foo\nKeyError: something odd\nbar\n');
    expect(f.kind).toBe('unknown');
    expect(f.message).toEqual(verbatim('KeyError: something odd'));
  });
});

/** Tails of real console logs: LLaMA-Factory ff6d4d1 with transformers 5.18 and torch 2.13 (see test/fixtures/lf-logs/README.md). */
const realLog = (name: string) => readFileSync(join(repoRoot, 'test/fixtures/lf-logs', `${name}.log`), 'utf8');

describe('classifyFailure on real LLaMA-Factory logs', () => {
  it.each([
    ['unknown-key', 'config', "Some keys are not used by the HfArgumentParser: ['lora_rnk']", /typo/],
    ['warmup-ratio', 'config', "Some keys are not used by the HfArgumentParser: ['warmup_ratio']", /warmup_steps/],
    ['undefined-dataset', 'missing-dataset', 'Undefined dataset no_such_data in dataset_info.json', /dataset_info\.json/],
    ['wrong-working-folder', 'missing-dataset', 'Cannot open data/dataset_info.json', /LLaMA-Factory folder/],
    ['missing-model-path', 'missing-model', "Repo id must be in the form 'repo_name' or 'namespace/repo_name': '/nonexistent/model'", /model_name_or_path/],
    ['hub-model-offline', 'missing-model', "We couldn't connect to 'https://huggingface.co'", /model_name_or_path/],
    ['bf16-on-cpu', 'config', "Your setup doesn't support bf16/gpu", /bf16: false/],
    ['cpu-oom', 'oom', "DefaultCPUAllocator: can't allocate memory", /per_device_train_batch_size/],
  ])('%s → %s', (name, kind, message, suggestion) => {
    const f = classifyFailure({ tail: realLog(name), exitCode: 1, signal: null });
    expect(f.kind).toBe(kind);
    expect(f.message.text).toContain(message);
    expect(f.suggestion.text).toMatch(suggestion);
  });
});
