/** Failure classification from real-looking log tails and exit statuses. */
import { describe, expect, it } from 'vitest';
import { classifyFailure } from '../../../src/core/runs/failure.js';

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
    expect(f.message).toContain(line.slice(0, 40));
    expect(f.suggestion.length).toBeGreaterThan(20);
  });

  it('OOM beats the NCCL errors it causes on other ranks, and suggests the usual fixes', () => {
    const f = c('torch.OutOfMemoryError: CUDA out of memory.\n[rank1] NCCL error: unhandled system error\n');
    expect(f.kind).toBe('oom');
    expect(f.suggestion).toMatch(/per_device_train_batch_size.*gradient_accumulation_steps.*gradient_checkpointing.*quantization_bit: 4.*ZeRO-3/);
  });

  it('exit 137 without a message is the kernel OOM killer', () => {
    expect(c('step 10\n', 137).kind).toBe('signal');
    expect(c('step 10\n', 137).suggestion).toMatch(/OOM killer/);
  });

  it('a NaN in trainer_log.jsonl counts when the console is silent', () => {
    expect(classifyFailure({ tail: 'done\n', exitCode: 1, signal: null, nanLoss: true }).kind).toBe('nan-loss');
  });

  it('unknown errors show the last error line', () => {
    const f = c('foo\nKeyError: something odd\nbar\n');
    expect(f).toMatchObject({ kind: 'unknown', message: 'KeyError: something odd' });
  });
});
