/** Predict evaluation of a finished run: derives LLaMA-Factory's do_predict config and picks where to write and run it. */
import { readdirSync } from 'node:fs';
import { join } from 'node:path';
import { parseDocument } from 'yaml';
import type { GpuInfo } from '../../shared/types/gpu.js';
import type { Run } from '../../shared/types/run.js';

/** Training-only keys: left in, they would make LLaMA-Factory split or resume data that predict does not use. */
const DROP = ['dataset', 'val_size', 'do_eval', 'eval_strategy', 'evaluation_strategy', 'eval_steps', 'resume_from_checkpoint', 'load_best_model_at_end'];

export interface PredictOptions {
  evalDataset: string;
  /** The training run's output dir: the adapter (LoRA/OFT…) or, for full fine-tuning, the weights. */
  trainedDir: string;
  outputDir: string;
  maxSamples?: number;
}

/** The run's config turned into a predict config; comments and key order of the original are kept. */
export function predictConfigYaml(trainYaml: string, o: PredictOptions): string {
  const doc = parseDocument(trainYaml);
  if (doc.errors.length) throw new Error(`The run's config copy is not valid YAML: ${doc.errors[0]!.message}`);
  for (const k of DROP) doc.delete(k);
  const ft = String(doc.get('finetuning_type') ?? 'lora');
  // Full/freeze fine-tuning saves whole weights: they replace the base model instead of being an adapter on it.
  if (ft === 'full' || ft === 'freeze') doc.set('model_name_or_path', o.trainedDir);
  else doc.set('adapter_name_or_path', o.trainedDir);
  doc.set('do_train', false);
  doc.set('do_predict', true);
  doc.set('predict_with_generate', true);
  doc.set('eval_dataset', o.evalDataset);
  doc.set('output_dir', o.outputDir);
  doc.set('overwrite_output_dir', true);
  if (o.maxSamples) doc.set('max_samples', o.maxSamples);
  return doc.toString();
}

/** `<output_dir>/predict-<n>` with n one above the highest existing one (earlier evaluations are kept). */
export function nextPredictDir(outputDir: string): string {
  let max = 0;
  try {
    for (const name of readdirSync(outputDir)) {
      const m = /^predict-(\d+)$/.exec(name);
      if (m) max = Math.max(max, Number(m[1]));
    }
  } catch {
    /* no folder yet: predict-1 */
  }
  return join(outputDir, `predict-${max + 1}`);
}

/**
 * A GPU for the evaluation: the one asked for, else a GPU no active run is using (the run's own first), else the
 * run's own GPU. Returns null when the machine has no GPUs at all (CPU demo trainer): run without a GPU then.
 */
export function pickGpu(gpus: readonly GpuInfo[], active: readonly Run[], run: Run, wanted?: number): { index: number; uuid: string } | null {
  if (wanted !== undefined) {
    const g = gpus.find((x) => x.index === wanted);
    if (!g) throw new Error(`There is no GPU ${wanted}.`);
    return { index: g.index, uuid: g.uuid };
  }
  const busy = new Set(active.flatMap((r) => r.gpuUuids));
  const free = gpus.filter((g) => !busy.has(g.uuid));
  const own = free.find((g) => run.gpuUuids.includes(g.uuid));
  const g = own ?? free[0];
  if (g) return { index: g.index, uuid: g.uuid };
  if (run.gpuIndices.length && run.gpuUuids.length) return { index: run.gpuIndices[0]!, uuid: run.gpuUuids[0]! };
  return null;
}
