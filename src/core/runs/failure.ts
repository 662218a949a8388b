/** Why a run failed, in the user's terms: classify the console tail and exit status into a FailureReason with a suggestion. */
import { msg, verbatim, type MessageCode } from '../../shared/messages/message.js';
import type { FailureReason } from '../../shared/types/run.js';

interface Rule {
  kind: FailureReason['kind'];
  pattern: RegExp;
  suggestion: MessageCode;
}

// Order matters: the first matching rule wins, so specific causes come before their generic consequences
// (an OOM often ends in an NCCL error on the other ranks; a missing model ends in "Failed to load tokenizer").
// Wording from real logs (test/fixtures/lf-logs): LLaMA-Factory ff6d4d1, transformers 5.18, huggingface_hub, torch.
const RULES: Rule[] = [
  {
    kind: 'oom',
    pattern: /torch\.(?:cuda\.)?OutOfMemoryError|CUDA out of memory|CUDA error: out of memory|DefaultCPUAllocator: (?:can't allocate memory|not enough memory)/i,
    suggestion: 'failure.fix.oom',
  },
  { kind: 'disk-full', pattern: /No space left on device|ENOSPC/, suggestion: 'failure.fix.diskFull' },
  {
    kind: 'missing-model',
    // transformers/huggingface_hub: a path that is not a folder is read as a hub id; offline, the hub cannot be asked.
    pattern:
      /is not a local folder and is not a valid model identifier|Repo id must be in the form|Repository Not Found|does not appear to have a file named config\.json|We couldn't connect to 'https:\/\/huggingface\.co'|Incorrect path_or_model_id/,
    suggestion: 'failure.fix.model',
  },
  // LLaMA-Factory wraps every tokenizer load error in this (model/loader.py:93); its cause is usually logged above it.
  { kind: 'missing-model', pattern: /Failed to load tokenizer|Can't load tokenizer/, suggestion: 'failure.fix.model' },
  {
    kind: 'missing-dataset',
    pattern: /Undefined dataset \S+ in dataset_info\.json|Cannot open \S*data(?:set|_info|\/)|File \S+ not found|dataset_info\.json.*(?:not found|No such file)|FileNotFoundError: .*(?:dataset|data\/)/,
    suggestion: 'failure.fix.dataset',
  },
  { kind: 'address-in-use', pattern: /EADDRINUSE|Address already in use/, suggestion: 'failure.fix.port' },
  { kind: 'nan-loss', pattern: /'loss': '?nan'?|"loss": NaN|loss is nan|Loss is NaN/i, suggestion: 'failure.fix.nanLoss' },
  {
    kind: 'nccl',
    pattern: /NCCL (?:error|WARN.*timeout)|ncclInternalError|ncclSystemError|Watchdog caught collective operation timeout|ProcessGroupNCCL.*[Tt]imeout|NCCL communicator was aborted/,
    suggestion: 'failure.fix.nccl',
  },
  {
    kind: 'config',
    // transformers' TrainingArguments refuses bf16 where the device cannot do it (a CPU, a pre-Ampere GPU).
    pattern: /doesn't support bf16|bf16.*requires (?:a )?(?:GPU|Ampere)/i,
    suggestion: 'failure.fix.bf16',
  },
  {
    kind: 'config',
    // A YAML config: transformers' HfArgumentParser.parse_dict ("Some keys …"); --flags: LF's parser ("Some specified arguments …").
    pattern: /Some (?:keys|specified arguments) are not used by the HfArgumentParser/,
    suggestion: 'failure.fix.unknownKey',
  },
  {
    kind: 'config',
    pattern: /ValueError: .*(?:Please (?:use|set|specify|enable|make sure)|must be|is not supported|not a valid|cannot be set|is incompatible|[Cc]annot use)|yaml\.(?:scanner|parser)\.\w+Error/,
    suggestion: 'failure.fix.configValue',
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
      if (rule.pattern.test(ls[i]!)) return { kind: rule.kind, message: verbatim(ls[i]!.trim().slice(0, 500)), suggestion: msg(rule.suggestion) };
    }
  }
  if (opts.nanLoss) return { kind: 'nan-loss', message: msg('failure.nanLoss'), suggestion: msg('failure.fix.nanLoss') };
  if (opts.exitCode === 137 || opts.signal === 'SIGKILL') {
    return {
      kind: 'signal',
      message: opts.signal ? msg('failure.killed', { signal: opts.signal }) : msg('failure.killedExit137'),
      suggestion: msg('failure.fix.killed'),
    };
  }
  if (opts.signal) return { kind: 'signal', message: msg('failure.signal', { signal: opts.signal }), suggestion: msg('failure.fix.signal') };
  const last = [...ls].reverse().find((l) => /Error|Exception|error:/.test(l)) ?? ls.filter((l) => l.trim()).at(-1) ?? '';
  return {
    kind: 'unknown',
    message: last.trim() ? verbatim(last.trim().slice(0, 500)) : msg('failure.exitCode', { code: String(opts.exitCode) }),
    suggestion: msg('failure.fix.unknown'),
  };
}
