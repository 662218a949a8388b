/**
 * Which memory fixes apply to a training config, and the keys each one sets. LLaMA-Factory facts:
 * gradient checkpointing is on unless disable_gradient_checkpointing (hparams/model_args.py:145), quantization_bit works
 * with LoRA/OFT only (hparams/parser.py:235-237), pure_bf16 refuses ZeRO-3 (parser.py:502-503), finetuning_type
 * defaults to lora (hparams/finetuning_args.py:464-467). HF TrainingArguments defaults: batch 8, accumulation 1.
 */
import type { MemoryFixId } from '../../shared/types/task.js';
import { configKind, truthy } from './configKind.js';
import { deepspeedShape } from './vramEstimate.js';

export interface FixChange {
  id: MemoryFixId;
  set: Record<string, unknown>;
  suffix: string;
}

const int = (v: unknown, d: number): number => {
  const n = typeof v === 'number' ? v : typeof v === 'string' && v.trim() !== '' ? Number(v) : NaN;
  return Number.isInteger(n) && n > 0 ? n : d;
};

/** The largest divisor of n up to n/2: the batch shrinks by a whole factor, so batch × accumulation stays exact. */
function halfDivisor(n: number): number {
  for (let d = Math.floor(n / 2); d > 1; d--) if (n % d === 0) return d;
  return 1;
}

/** The fixes this config can take, each with the keys it sets. `deepspeedFile` names the shipped ZeRO JSONs. */
export function memoryFixes(config: Record<string, unknown>, deepspeedFile: (stage: '3', offload: boolean) => string): FixChange[] {
  if (configKind(config) !== 'train') return [];
  const out: FixChange[] = [];
  const batch = int(config.per_device_train_batch_size, 8);
  const accum = int(config.gradient_accumulation_steps, 1);
  if (batch > 1) {
    const b = halfDivisor(batch);
    const g = accum * (batch / b);
    out.push({ id: 'halve-batch', set: { per_device_train_batch_size: b, gradient_accumulation_steps: g }, suffix: `bs${b}-ga${g}` });
  }
  if (truthy(config.disable_gradient_checkpointing)) {
    out.push({ id: 'gradient-checkpointing', set: { disable_gradient_checkpointing: false }, suffix: 'gc' });
  }
  const ds = deepspeedShape(config, null);
  if (!truthy(config.pure_bf16) && ds?.stage !== 3) {
    out.push({ id: 'zero3', set: { deepspeed: deepspeedFile('3', false) }, suffix: 'zero3' });
  }
  if (!truthy(config.pure_bf16) && !(ds?.stage === 3 && ds.offloadParams)) {
    out.push({ id: 'zero3-offload', set: { deepspeed: deepspeedFile('3', true) }, suffix: 'zero3-offload' });
  }
  const ft = typeof config.finetuning_type === 'string' ? config.finetuning_type : 'lora';
  const quantized = config.quantization_bit !== undefined && config.quantization_bit !== null && config.quantization_bit !== '';
  if ((ft === 'lora' || ft === 'oft') && !quantized) out.push({ id: 'qlora', set: { quantization_bit: 4 }, suffix: 'qlora4' });
  return out;
}

/** Every fix at once (ZeRO-3 with offload in place of plain ZeRO-3: it is the one that saves more). */
export function combineFixes(changes: FixChange[]): FixChange[] {
  const hasOffload = changes.some((c) => c.id === 'zero3-offload');
  return changes.filter((c) => !(hasOffload && c.id === 'zero3'));
}
