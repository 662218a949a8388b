/** Builds the inference config of a run (or one of its checkpoints) from the run's config copy, and lists its checkpoints. */
import { existsSync, readFileSync } from 'node:fs';
import { isAbsolute, join, resolve } from 'node:path';
import YAML from 'yaml';
import type { Run } from '../../shared/types/run.js';
import type { Settings } from '../../shared/types/settings.js';
import { countParams, paramsFromName } from '../configs/modelParams.js';
import { CUDA_CONTEXT_MIB } from '../configs/vramEstimate.js';
import { readRegularFileSync } from '../util/boundedRead.js';

/** A run's checkpoints: one rule for resume, chat and the run page (src/core/runs/checkpoints.ts). */
export { listCheckpoints } from '../runs/checkpoints.js';

export interface InferConfig {
  yaml: string;
  /** What is served: the adapter folder, or the full model folder for full/freeze fine-tunes. */
  servedPath: string;
  modelPath: string;
}

/** Keys of the training config that also matter for loading the model at inference time. */
const CARRIED = ['trust_remote_code', 'quantization_bit', 'quantization_method', 'rope_scaling', 'flash_attn', 'cache_dir', 'hf_hub_token'];
/** Data keys that shape the chat prompt the model was trained on (LF hparams/data_args.py); valid for `api` too. */
const PROMPT_KEYS = ['template', 'default_system', 'enable_thinking', 'tool_format'];

/** LLaMA-Factory's PEFT_METHODS (extras/constants.py:113 at ff6d4d1): these save an adapter, full and freeze the whole model. */
const ADAPTER_METHODS = ['lora', 'oft'];

/** A relative path that exists under the run's working folder is a local folder; anything else (a hub id) stays as written. */
function local(workDir: string, p: string): string {
  const abs = resolve(workDir, p);
  return !isAbsolute(p) && existsSync(abs) ? abs : p;
}

/**
 * How LLaMA-Factory loads what a run trained, as model keys of a derived config (inference or predict):
 * - full/freeze runs saved the whole model: it becomes model_name_or_path (finetuning_type kept);
 * - LoRA and OFT runs saved a PEFT adapter on the base model. LF's parser accepts adapter_name_or_path only with
 *   finetuning_type lora (hparams/parser.py:232-233), and PEFT reads the adapter's own type (LoRA or OFT) from its
 *   adapter_config.json (model/adapter.py:197-198), so both are loaded as `finetuning_type: lora`;
 * - adapters the run itself started from: while training, LF merged all but the last into the base and went on
 *   training the last (all of them with create_new_adapter; model/adapter.py:181-185), so they are merged again here.
 */
export function trainedModelKeys(cfg: Record<string, unknown>, trainedDir: string, workDir: string): Record<string, unknown> {
  const ft = typeof cfg.finetuning_type === 'string' ? cfg.finetuning_type : 'lora';
  const model = typeof cfg.model_name_or_path === 'string' ? local(workDir, cfg.model_name_or_path) : cfg.model_name_or_path;
  if (!ADAPTER_METHODS.includes(ft)) return { model_name_or_path: trainedDir, finetuning_type: ft };
  const earlier = (typeof cfg.adapter_name_or_path === 'string' ? cfg.adapter_name_or_path.split(',') : [])
    .map((a) => a.trim())
    .filter(Boolean)
    .map((a) => local(workDir, a));
  const merged = cfg.create_new_adapter === true ? earlier : earlier.slice(0, -1);
  return { model_name_or_path: model, adapter_name_or_path: [...merged, trainedDir].join(','), finetuning_type: 'lora' };
}

/**
 * The inference config of a run's output (or one of its checkpoints). Relative paths of the training config are made
 * absolute against the run's working directory, where the server also starts. `template` is the run's own; a config
 * without one gets none, so LF parses the tokenizer's chat template as it did while training (data/template.py:674-680).
 */
export function buildInferConfig(run: Run, checkpoint: string | null, settings: Settings): InferConfig {
  if (run.kind === 'export') return exportedInferConfig(run, settings);
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
  const keys = trainedModelKeys(doc, servedPath, run.workDir);
  const out: Record<string, unknown> = { ...keys, infer_backend: settings.chat.inferBackend };
  for (const k of PROMPT_KEYS) if (doc[k] !== undefined && doc[k] !== null) out[k] = doc[k];
  for (const k of CARRIED) if (doc[k] !== undefined && doc[k] !== null) out[k] = doc[k];
  const header = `# Inference config written by Trainyard for run ${run.name} (${run.id})${checkpoint ? `, ${checkpoint}` : ''}.\n`;
  return { yaml: header + YAML.stringify(out), servedPath, modelPath: String(keys.model_name_or_path) };
}

/**
 * A merged model (an export run) is a plain model folder: served as model_name_or_path with no adapter, with the chat
 * template of the export config (which carried the training run's).
 */
function exportedInferConfig(run: Run, settings: Settings): InferConfig {
  if (!run.outputDir || !existsSync(join(run.outputDir, 'config.json'))) {
    throw new Error(`Nothing to serve: the export wrote no model to ${run.outputDir || 'its export_dir'} (config.json is missing).`);
  }
  let doc: Record<string, unknown> = {};
  try {
    doc = (YAML.parse(readFileSync(run.configPath, 'utf8')) ?? {}) as Record<string, unknown>;
  } catch {
    // The config copy only adds the template; the model folder alone can still be served.
  }
  const out: Record<string, unknown> = { model_name_or_path: run.outputDir, infer_backend: settings.chat.inferBackend };
  for (const k of [...PROMPT_KEYS, 'trust_remote_code', 'rope_scaling', 'flash_attn']) if (doc[k] !== undefined && doc[k] !== null) out[k] = doc[k];
  const header = `# Inference config written by Trainyard for the merged model of ${run.name} (${run.id}).\n`;
  return { yaml: header + YAML.stringify(out), servedPath: run.outputDir, modelPath: run.outputDir };
}

/** bf16 weights + 20% for activations and KV cache + the CUDA context, from the model's config.json when it is local. */
export function inferenceEstimateMiB(modelPath: string): number | null {
  try {
    const cfg = JSON.parse(readRegularFileSync(join(modelPath, 'config.json'), 1024 * 1024).toString('utf8')) as Record<string, unknown>;
    const params = countParams(cfg)?.total ?? paramsFromName(modelPath);
    if (!params) return null;
    return Math.ceil((params * 2 * 1.2) / 2 ** 20) + CUDA_CONTEXT_MIB;
  } catch {
    return null;
  }
}
