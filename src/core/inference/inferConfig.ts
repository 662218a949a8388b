/** Builds the inference config of a run (or one of its checkpoints) from the run's config copy, and lists its checkpoints. */
import { existsSync, readdirSync, readFileSync, statSync } from 'node:fs';
import { isAbsolute, join, resolve } from 'node:path';
import YAML from 'yaml';
import type { Run } from '../../shared/types/run.js';
import type { Settings } from '../../shared/types/settings.js';
import { countParams, paramsFromName } from '../configs/modelParams.js';
import { CUDA_CONTEXT_MIB } from '../configs/vramEstimate.js';

/** checkpoint-N folders of an output dir, oldest step first. */
export function listCheckpoints(outputDir: string): string[] {
  if (!outputDir) return [];
  let names: string[];
  try {
    names = readdirSync(outputDir);
  } catch {
    return [];
  }
  return names
    .filter((n) => /^checkpoint-\d+$/.test(n))
    .filter((n) => {
      try {
        return statSync(join(outputDir, n)).isDirectory();
      } catch {
        return false;
      }
    })
    .sort((a, b) => Number(a.slice(11)) - Number(b.slice(11)));
}

export interface InferConfig {
  yaml: string;
  /** What is served: the adapter folder, or the full model folder for full/freeze fine-tunes. */
  servedPath: string;
  modelPath: string;
}

/** Keys of the training config that also matter for loading the model at inference time. */
const CARRIED = ['trust_remote_code', 'quantization_bit', 'quantization_method', 'rope_scaling', 'flash_attn', 'cache_dir', 'hf_hub_token'];

/**
 * LoRA-family runs: base model + adapter_name_or_path (the output dir, or a checkpoint of it). Full and freeze runs save
 * the whole model: that folder becomes model_name_or_path. Relative paths of the training config are made absolute
 * against the run's working directory so the server can run anywhere.
 */
export function buildInferConfig(run: Run, checkpoint: string | null, settings: Settings): InferConfig {
  let text: string;
  try {
    text = readFileSync(run.configPath, 'utf8');
  } catch {
    throw new Error(`The run's config copy is missing (${run.configPath}), so Trainyard cannot tell which model it trained.`);
  }
  const doc = YAML.parse(text) as Record<string, unknown> | null;
  if (!doc || typeof doc !== 'object') throw new Error(`The run's config copy (${run.configPath}) is not a YAML mapping.`);
  const model = doc.model_name_or_path;
  if (typeof model !== 'string' || !model) throw new Error(`The run's config has no model_name_or_path (${run.configPath}).`);
  const outputDir = run.outputDir || (typeof doc.output_dir === 'string' ? doc.output_dir : '');
  if (!outputDir) throw new Error(`The run has no output folder to serve.`);
  const absOut = isAbsolute(outputDir) ? outputDir : resolve(run.workDir, outputDir);
  const servedPath = checkpoint ? join(absOut, checkpoint) : absOut;
  if (!existsSync(servedPath)) throw new Error(`Nothing to serve: ${servedPath} does not exist (the run saved no ${checkpoint ?? 'output'} yet).`);
  // A relative model path that exists under the run's workDir is a local folder; otherwise it is a hub id, kept as is.
  const local = resolve(run.workDir, model);
  const modelPath = !isAbsolute(model) && existsSync(local) ? local : model;
  const ft = typeof doc.finetuning_type === 'string' ? doc.finetuning_type : 'lora';
  const full = ft === 'full' || ft === 'freeze';
  const out: Record<string, unknown> = {
    model_name_or_path: full ? servedPath : modelPath,
    ...(full ? {} : { adapter_name_or_path: servedPath }),
    template: typeof doc.template === 'string' ? doc.template : 'default',
    finetuning_type: ft,
    infer_backend: settings.chat.inferBackend,
  };
  for (const k of CARRIED) if (doc[k] !== undefined && doc[k] !== null) out[k] = doc[k];
  const header = `# Inference config written by Trainyard for run ${run.name} (${run.id})${checkpoint ? `, ${checkpoint}` : ''}.\n`;
  return { yaml: header + YAML.stringify(out), servedPath, modelPath: full ? servedPath : modelPath };
}

/** bf16 weights + 20% for activations and KV cache + the CUDA context, from the model's config.json when it is local. */
export function inferenceEstimateMiB(modelPath: string): number | null {
  try {
    const cfg = JSON.parse(readFileSync(join(modelPath, 'config.json'), 'utf8')) as Record<string, unknown>;
    const params = countParams(cfg)?.total ?? paramsFromName(modelPath);
    if (!params) return null;
    return Math.ceil((params * 2 * 1.2) / 2 ** 20) + CUDA_CONTEXT_MIB;
  } catch {
    return null;
  }
}
