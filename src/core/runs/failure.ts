/** Why a run failed, in the user's terms: classify the console tail and exit status into a FailureReason with a suggestion. */
import type { FailureReason } from '../../shared/types/run.js';

interface Rule {
  kind: FailureReason['kind'];
  pattern: RegExp;
  suggestion: string;
}

const OOM_TIPS =
  'Lower per_device_train_batch_size (and raise gradient_accumulation_steps to keep the effective batch), set ' +
  'gradient_checkpointing: true, try quantization_bit: 4 (QLoRA), lower cutoff_len, or use DeepSpeed ZeRO-3 ' +
  '(deepspeed: examples/deepspeed/ds_z3_config.json) across more GPUs.';

// Order matters: the first matching rule wins, so specific causes come before their generic consequences
// (an OOM often ends in an NCCL error on the other ranks).
const RULES: Rule[] = [
  { kind: 'oom', pattern: /torch\.(?:cuda\.)?OutOfMemoryError|CUDA out of memory|CUDA error: out of memory/i, suggestion: OOM_TIPS },
  { kind: 'disk-full', pattern: /No space left on device|ENOSPC/, suggestion: 'Free disk space where output_dir lives (old checkpoints: lower save_total_limit) or point output_dir at a bigger disk.' },
  {
    kind: 'missing-model',
    pattern: /is not a local folder and is not a valid model identifier|Can't load tokenizer|Repository Not Found|does not appear to have a file named config\.json/,
    suggestion: 'Check model_name_or_path: a local folder that exists, or a Hugging Face id you can download (log in with `huggingface-cli login` for gated models).',
  },
  {
    kind: 'missing-dataset',
    pattern: /Undefined dataset \S+ in dataset_info\.json|Cannot open data[_ ]?(?:set|_info)|File \S+ not found|dataset_info\.json.*(?:not found|No such file)|FileNotFoundError: .*(?:dataset|data\/)/,
    suggestion: 'Check dataset and dataset_dir: every name in `dataset` must be a key of dataset_info.json in dataset_dir (relative paths resolve from the working directory).',
  },
  { kind: 'address-in-use', pattern: /EADDRINUSE|Address already in use/, suggestion: 'Another process holds the port (MASTER_PORT or API_PORT). Restart the run: Trainyard picks a new free port.' },
  { kind: 'nan-loss', pattern: /'loss': '?nan'?|"loss": NaN|loss is nan|Loss is NaN/i, suggestion: 'The loss became NaN: lower learning_rate, use bf16 instead of fp16, or set max_grad_norm: 1.0; check the data for empty or huge samples.' },
  {
    kind: 'nccl',
    pattern: /NCCL (?:error|WARN.*timeout)|ncclInternalError|ncclSystemError|Watchdog caught collective operation timeout|ProcessGroupNCCL.*[Tt]imeout|NCCL communicator was aborted/,
    suggestion: 'A multi-GPU collective failed or timed out: check that the GPUs can talk (nvidia-smi topo -m), raise ddp_timeout, or try NCCL_P2P_DISABLE=1 / NCCL_IB_DISABLE=1.',
  },
  {
    kind: 'config',
    pattern: /Some specified arguments are not used by the HfArgumentParser|ValueError: .*(?:Please (?:use|set|specify)|must be|is not supported|not a valid)|yaml\.(?:scanner|parser)\.\w+Error/,
    suggestion: 'The config has a key or value LLaMA-Factory does not accept: check the named key for typos, or for an option of another LLaMA-Factory version.',
  },
];

/** Strips terminal escapes and returns the lines of `tail` (the last part of console.log). */
function lines(tail: string): string[] {
  // eslint-disable-next-line no-control-regex
  return tail.replace(/\x1b\[[0-?]*[ -/]*[@-~]/g, '').split(/\r?\n|\r/);
}

export function classifyFailure(opts: { tail: string; exitCode: number | null; signal: string | null; nanLoss?: boolean }): FailureReason {
  const ls = lines(opts.tail);
  for (const rule of RULES) {
    // Search from the end: the last occurrence is usually the fatal one.
    for (let i = ls.length - 1; i >= 0; i--) {
      if (rule.pattern.test(ls[i]!)) return { kind: rule.kind, message: ls[i]!.trim().slice(0, 500), suggestion: rule.suggestion };
    }
  }
  if (opts.nanLoss) {
    return { kind: 'nan-loss', message: 'trainer_log.jsonl recorded a NaN loss.', suggestion: RULES.find((r) => r.kind === 'nan-loss')!.suggestion };
  }
  if (opts.exitCode === 137 || opts.signal === 'SIGKILL') {
    return {
      kind: 'signal',
      message: `The trainer was killed (${opts.signal ?? 'exit code 137'}).`,
      suggestion: 'Likely the system ran out of RAM and the kernel OOM killer ended it (check `dmesg | grep -i oom`): lower preprocessing_num_workers and dataloader_num_workers, or use streaming datasets.',
    };
  }
  if (opts.signal) {
    return { kind: 'signal', message: `The trainer ended on ${opts.signal}.`, suggestion: 'Something outside the trainer stopped it; see the end of the log.' };
  }
  const last = [...ls].reverse().find((l) => /Error|Exception|error:/.test(l)) ?? ls.filter((l) => l.trim()).at(-1) ?? '';
  return {
    kind: 'unknown',
    message: last.trim().slice(0, 500) || `The trainer exited with code ${opts.exitCode}.`,
    suggestion: 'See the end of the log for the error.',
  };
}
