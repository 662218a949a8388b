/** Predict evaluation of a finished run: derives LLaMA-Factory's do_predict config and picks where to write and run it. */
import { readdirSync } from 'node:fs';
import { join } from 'node:path';
import { parseDocument } from 'yaml';
import type { GpuInfo } from '../../shared/types/gpu.js';
import type { Run } from '../../shared/types/run.js';
import { trainedModelKeys } from '../inference/inferConfig.js';

/**
 * Keys of the training config a predict run must not carry. Training-only ones would make LLaMA-Factory split or resume
 * data that predict does not use. `deepspeed` needs a torchrun launch (hparams/parser.py:471-472) and ZeRO-3 refuses
 * predict_with_generate (parser.py:486-487); `compute_accuracy` refuses it too (parser.py:489-490). LlamaBoard's own
 * evaluation sets neither (webui/runner.py:300-353). Paths: LLaMA-Factory ff6d4d1.
 */
const DROP = [
  'dataset',
  'val_size',
  'do_eval',
  'eval_strategy',
  'evaluation_strategy',
  'eval_steps',
  'resume_from_checkpoint',
  'load_best_model_at_end',
  'deepspeed',
  'compute_accuracy',
];

/** Stages whose model does not generate text: a reward model scores answers (LF saves it with a value head). */
const NOT_GENERATIVE: Record<string, string> = {
  rm: 'A reward model (stage: rm) scores answers; it does not write them, so there are no predictions to make.',
};

export interface PredictOptions {
  /** A dataset of dataset_info.json, or null: the held-out split of the training data (needs the run's val_size). */
  evalDataset: string | null;
  /** The training run's output dir: the adapter (LoRA/OFT) or, for full and freeze fine-tuning, the weights. */
  trainedDir: string;
  outputDir: string;
  /** The run's working folder (relative model and adapter paths of its config resolve there). */
  workDir: string;
  maxSamples?: number;
}

/**
 * The run's config turned into a predict config; comments and key order of the original are kept. It is an SFT predict
 * with generation whatever stage trained the model, as LlamaBoard's Evaluate tab does (webui/runner.py:307, 322):
 * LF only generates predictions in the sft stage (parser.py:419-420, 428-429).
 */
export function predictConfigYaml(trainYaml: string, o: PredictOptions): string {
  const doc = parseDocument(trainYaml);
  if (doc.errors.length) throw new Error(`The run's config copy is not valid YAML: ${doc.errors[0]!.message}`);
  const cfg = (doc.toJS() ?? {}) as Record<string, unknown>;
  const stage = typeof cfg.stage === 'string' ? cfg.stage : 'sft';
  if (NOT_GENERATIVE[stage]) throw new Error(NOT_GENERATIVE[stage]);
  // The held-out split: the same `dataset`, `val_size` and seed split it again into the part training never saw
  // (data/data_utils.py split_dataset: train_test_split(test_size=val_size, seed)); predict then uses "validation".
  const heldOut = o.evalDataset === null;
  const valSize = typeof cfg.val_size === 'number' ? cfg.val_size : Number(cfg.val_size);
  if (heldOut && !(valSize > 1e-6)) throw new Error('The run held no data out (no val_size): choose a dataset to evaluate on.');
  for (const k of DROP) if (!(heldOut && (k === 'dataset' || k === 'val_size'))) doc.delete(k);
  const model = trainedModelKeys(cfg, o.trainedDir, o.workDir);
  for (const [k, v] of Object.entries(model)) doc.set(k, v);
  if (stage !== 'sft') doc.set('stage', 'sft');
  doc.set('do_train', false);
  doc.set('do_predict', true);
  doc.set('predict_with_generate', true);
  if (o.evalDataset !== null) doc.set('eval_dataset', o.evalDataset);
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
