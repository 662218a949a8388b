/** Estimates a run's peak GPU memory per GPU (as nvidia-smi shows it) from the config and the model's config.json. */
import { msg, type Message } from '../../shared/messages/message.js';
import type { VramEstimate } from '../../shared/types/task.js';
import { NOTHING } from './issue.js';
import { configKind, truthy } from './configKind.js';
import { countParams, paramsFromName, type ModelDims } from './modelParams.js';

const MiB = 2 ** 20;
/** What a CUDA process holds before allocating anything (context, cuBLAS workspace). */
export const CUDA_CONTEXT_MIB = 500;

export interface DeepSpeedShape {
  stage: 0 | 1 | 2 | 3;
  offloadOptimizer: boolean;
  offloadParams: boolean;
}

export interface EstimateOptions {
  /** GPUs the run spans: ZeRO shards states across them (plain DDP does not). */
  gpuCount?: number;
  /** The DeepSpeed JSON when it could be read; else the stage is guessed from the file name. */
  deepspeed?: Record<string, unknown> | null;
  /** Model name for a parameter-count guess when config.json is not available. */
  modelName?: string;
  calibration?: { runs: number; meanRatio: number; meanAbsErrorPct?: number } | null;
}

export function deepspeedShape(config: Record<string, unknown>, json: Record<string, unknown> | null | undefined): DeepSpeedShape | null {
  const ds = config.deepspeed;
  if (typeof ds !== 'string' || !ds.trim()) return null;
  const zero = (json?.zero_optimization ?? null) as Record<string, unknown> | null;
  if (zero) {
    const dev = (o: unknown) => (o && typeof o === 'object' ? String((o as Record<string, unknown>).device ?? 'none') : 'none');
    const stage = Number(zero.stage ?? 0);
    return {
      stage: (stage >= 0 && stage <= 3 ? stage : 0) as DeepSpeedShape['stage'],
      offloadOptimizer: dev(zero.offload_optimizer) !== 'none',
      offloadParams: dev(zero.offload_param) !== 'none',
    };
  }
  // The stock LLaMA-Factory files are named ds_z{0,2,3}[_offload]_config.json.
  const m = /z(?:ero)?_?([0-3])/i.exec(ds);
  const off = /offload/i.test(ds);
  return { stage: (m ? Number(m[1]) : 2) as DeepSpeedShape['stage'], offloadOptimizer: off, offloadParams: off && m?.[1] === '3' };
}

const num = (v: unknown, d: number) => (typeof v === 'number' && Number.isFinite(v) ? v : typeof v === 'string' && v.trim() !== '' && Number.isFinite(Number(v)) ? Number(v) : d);

/** Trainable LoRA parameters: r × (in + out) for each targeted linear of every layer. */
function loraParams(dims: ModelDims | null, totalParams: number, rank: number, target: string): number {
  if (!dims) return totalParams * 0.003 * (rank / 8);
  const { hidden: h, intermediate: i, heads, kvHeads, headDim } = dims;
  const shapes: Record<string, [number, number]> = {
    q_proj: [h, heads * headDim],
    k_proj: [h, kvHeads * headDim],
    v_proj: [h, kvHeads * headDim],
    o_proj: [heads * headDim, h],
    gate_proj: [h, i],
    up_proj: [h, i],
    down_proj: [i, h],
  };
  const wanted = target.trim() === 'all' || !target.trim() ? Object.keys(shapes) : target.split(',').map((s) => s.trim());
  let per = 0;
  for (const t of wanted) {
    const s = shapes[t];
    if (s) per += rank * (s[0] + s[1]);
  }
  return per * dims.layers;
}

/** Bytes per parameter of the optimizer state (Adam keeps two moments). */
function optimizerBytes(optim: string, pure16: boolean): number {
  if (/8bit/.test(optim)) return 2;
  if (/adafactor/.test(optim)) return 1;
  if (/^sgd/.test(optim)) return 4;
  return pure16 ? 4 : 8;
}

export function estimateVram(config: Record<string, unknown>, modelConfig: Record<string, unknown> | null, opts: EstimateOptions = {}): VramEstimate | null {
  const notes: Message[] = [];
  const counted = modelConfig ? countParams(modelConfig) : null;
  const guessed = counted ? null : paramsFromName(opts.modelName ?? String(config.model_name_or_path ?? ''));
  if (!counted && guessed === null) return null;
  if (!counted) notes.push(msg('estimate.note.guessed', { billions: (guessed! / 1e9).toFixed(1) }));
  const P = counted?.total ?? guessed!;
  const dims = counted?.dims ?? null;
  const emb = counted?.embedding ?? P * 0.03;
  const kind = configKind(config);
  const training = kind === 'train';
  const ft = typeof config.finetuning_type === 'string' ? config.finetuning_type : 'lora';
  const qbits = num(config.quantization_bit, 0);
  const pure16 = truthy(config.pure_bf16);
  const half = truthy(config.bf16) || truthy(config.fp16) || pure16;
  const wBytes = half || !training ? 2 : 4;
  const n = Math.max(1, opts.gpuCount ?? 1);
  const ds = training ? deepspeedShape(config, opts.deepspeed) : null;
  const optim = String(config.optim ?? 'adamw_torch');
  const gpus = msg(n > 1 ? 'estimate.gpus' : 'estimate.gpu', { n });
  const parts: { label: Message; bytes: number; act?: boolean }[] = [{ label: msg('estimate.part.cuda'), bytes: CUDA_CONTEXT_MIB * MiB }];

  // Weights held on the GPU.
  let weights = qbits > 0 && (ft === 'lora' || ft === 'oft' || !training) ? (P - emb) * (qbits / 8) * 1.07 + emb * 2 : P * wBytes;
  if (qbits > 0) notes.push(msg('estimate.note.qlora', { bits: qbits }));
  let trainable = 0;
  if (training) {
    if (ft === 'full') trainable = P;
    else if (ft === 'freeze') trainable = (counted?.perLayer ?? P / 40) * num(config.freeze_trainable_layers, 2);
    else trainable = loraParams(dims, P, num(config.lora_rank, 8), String(config.lora_target ?? 'all'));
  }
  // Mixed precision keeps fp32 master weights; ZeRO-3 shards the 16-bit weights too.
  const fullish = ft === 'full';
  if (ds?.stage === 3) {
    const resident = ds.offloadParams ? 0 : weights / n;
    const gathered = (counted?.perLayer ?? P / 32) * 2 * 2;
    weights = resident + gathered;
    notes.push(msg('estimate.note.zero3', { gpus, offload: ds.offloadParams ? msg('estimate.note.paramsOffloaded') : NOTHING }));
  }
  parts.push({ label: msg(fullish ? 'estimate.part.weights16' : 'estimate.part.frozen'), bytes: weights });
  if (trainable > 0) {
    const shardGrads = ds && ds.stage >= 2 ? n : 1;
    const shardStates = ds && ds.stage >= 1 ? n : 1;
    const offOpt = ds?.offloadOptimizer ?? false;
    const gradBytes = fullish && half && !pure16 ? 2 : fullish ? wBytes : 4;
    const master = half && !pure16 ? 4 : 0;
    if (!fullish) parts.push({ label: msg('estimate.part.trainable', { method: ft }), bytes: trainable * 4 });
    parts.push({ label: msg('estimate.part.gradients'), bytes: (trainable * gradBytes) / shardGrads });
    if (!offOpt) {
      if (fullish && master) parts.push({ label: msg('estimate.part.master'), bytes: (trainable * master) / shardStates });
      parts.push({ label: msg('estimate.part.optimizer', { optim }), bytes: (trainable * optimizerBytes(optim, pure16)) / shardStates });
    } else notes.push(msg('estimate.note.optimizerOffloaded'));
    if (ds && ds.stage > 0 && ds.stage < 3) notes.push(ds.stage === 1 ? msg('estimate.note.zero1', { gpus }) : msg('estimate.note.zero2', { stage: ds.stage, gpus }));
  }

  // Activations: per token per layer, 16-bit: norms, q/k/v/o, residuals (≈8h + 2·kv) and the gated MLP (≈4·I).
  const h = dims?.hidden ?? Math.sqrt(P / 12 / 32) * 1.0;
  const L = dims?.layers ?? 32;
  const I = dims?.intermediate ?? 2.7 * h;
  const kvd = dims ? dims.kvHeads * dims.headDim : h;
  const V = dims?.vocab ?? 32000;
  const cutoff = num(config.cutoff_len, 2048);
  if (training) {
    const batch = num(config.per_device_train_batch_size, 8);
    const tokens = batch * cutoff;
    const perTokenLayer = (8 * h + 2 * kvd + 4 * I) * 2 * (ft === 'lora' && num(config.lora_dropout, 0) > 0 ? 1.3 : 1);
    // LLaMA-Factory turns gradient checkpointing on unless disable_gradient_checkpointing is set.
    const checkpointing = !truthy(config.disable_gradient_checkpointing);
    const acts = checkpointing ? tokens * h * 2 * L + tokens * perTokenLayer : tokens * perTokenLayer * L;
    parts.push({ label: msg(checkpointing ? 'estimate.part.activationsCheckpointed' : 'estimate.part.activations', { batch, cutoff }), bytes: acts, act: true });
    if (!checkpointing) notes.push(msg('estimate.note.noCheckpointing'));
    const eager = config.flash_attn === 'disabled';
    if (eager && dims) parts.push({ label: msg('estimate.part.eager'), bytes: batch * dims.heads * cutoff * cutoff * 2 * (checkpointing ? 1 : L) * 2, act: true });
    // Logits in 16 bits, their fp32 upcast for the loss, and its gradient.
    const liger = truthy(config.enable_liger_kernel);
    parts.push({ label: msg('estimate.part.logitsLoss'), bytes: tokens * V * (liger ? 1 : 10), act: true });
  } else {
    const batch = num(config.per_device_eval_batch_size, kind === 'eval' ? 8 : 1);
    const seq = cutoff + num(config.max_new_tokens, 1024);
    parts.push({ label: msg('estimate.part.kvCache', { batch, seq }), bytes: batch * seq * 2 * L * kvd * 2, act: true });
    parts.push({ label: msg('estimate.part.logits'), bytes: batch * V * 4 * 4, act: true });
  }
  // PyTorch's caching allocator holds more than it uses: fragmentation grows with varying sequence lengths.
  const actBytes = parts.filter((p) => p.act).reduce((s, p) => s + p.bytes, 0);
  const staticBytes = parts.filter((p) => !p.act).reduce((s, p) => s + p.bytes, 0) - CUDA_CONTEXT_MIB * MiB;
  parts.push({ label: msg('estimate.part.reserve'), bytes: staticBytes * 0.08 + actBytes * 0.3 });

  const mid = parts.reduce((s, p) => s + p.bytes, 0);
  let low = mid - actBytes * 0.35 - staticBytes * 0.04;
  let high = mid + actBytes * 0.6 + staticBytes * 0.08;
  const cal = opts.calibration && opts.calibration.runs > 0 ? opts.calibration : null;
  if (cal) {
    const r = Math.min(2, Math.max(0.5, cal.meanRatio));
    low *= r;
    high *= r;
    notes.push(msg(cal.runs > 1 ? 'estimate.note.scaledMany' : 'estimate.note.scaledOne', { ratio: r.toFixed(2), runs: cal.runs }));
  }
  const mib = (b: number) => Math.round(b / MiB);
  return {
    lowMiB: mib(low),
    highMiB: mib(high),
    breakdown: parts.map((p) => ({ label: p.label.text, said: p.label, mib: mib(p.bytes) })),
    params: Math.round(P),
    notes: notes.map((m) => m.text),
    notesSaid: notes,
    calibration: cal,
    gpuCount: n,
  };
}

