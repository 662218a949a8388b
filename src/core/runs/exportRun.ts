/** "Export merged model": the `llamafactory-cli export` config that merges a finished LoRA run's adapter into its base model, and where it writes. */
import { existsSync, readFileSync } from 'node:fs';
import { join } from 'node:path';
import YAML from 'yaml';
import { RpcError } from '../../shared/rpc/protocol.js';
import type { Run } from '../../shared/types/run.js';
import { trainedModelKeys } from '../inference/inferConfig.js';
import type { LaunchSpec } from './supervisorApi.js';

/**
 * Keys of the training config the export parser takes and that change what is written. The export runs through LF's
 * infer parser (hparams/parser.py:68, no TrainingArguments: output_dir or learning_rate would be refused), so only
 * Model/Data/Finetuning arguments are carried. quantization_bit is not: LF refuses to merge into a quantized model
 * (train/tuner.py:191-192), a QLoRA adapter is merged into the unquantized base. cutoff_len becomes the exported
 * model_max_length on a CPU export (parser.py:694-697).
 */
const CARRIED = ['template', 'default_system', 'enable_thinking', 'tool_format', 'stage', 'trust_remote_code', 'rope_scaling', 'flash_attn', 'cache_dir', 'hf_hub_token', 'cutoff_len'];

export interface ExportOptions {
  /** The adapter folder: the run's output folder or one of its checkpoints. */
  adapterDir: string;
  workDir: string;
  exportDir: string;
  /** Shard size in GB (LF's export_size, default 5: model_args.py:362). */
  exportSize?: number;
  /** LF's export_device: `cpu` (its default, model_args.py:366) or `auto` (on the GPUs, faster). */
  exportDevice?: 'cpu' | 'auto';
}

export function exportConfigYaml(trainYaml: string, o: ExportOptions): string {
  const cfg = (YAML.parse(trainYaml) ?? {}) as Record<string, unknown>;
  const ft = typeof cfg.finetuning_type === 'string' ? cfg.finetuning_type : 'lora';
  if (ft !== 'lora' && ft !== 'oft') {
    throw new Error(`A ${ft} fine-tune already saved the whole model in its output folder: there is no adapter to merge.`);
  }
  const out: Record<string, unknown> = { ...trainedModelKeys(cfg, o.adapterDir, o.workDir) };
  for (const k of CARRIED) if (cfg[k] !== undefined && cfg[k] !== null) out[k] = cfg[k];
  out.export_dir = o.exportDir;
  out.export_size = o.exportSize ?? 5;
  out.export_device = o.exportDevice ?? 'cpu';
  out.export_legacy_format = false;
  return YAML.stringify(out);
}

/** `<adapter>/merged`, or `merged-2`, `-3`, … when an earlier export is there: one export never overwrites another. */
export function nextExportDir(adapterDir: string): string {
  for (let n = 1; ; n++) {
    const dir = join(adapterDir, n === 1 ? 'merged' : `merged-${n}`);
    if (!existsSync(dir)) return dir;
  }
}

/** The launch of an export of `run` (or its `checkpoint`), refused with a message the user can act on. */
export function exportSpec(run: Run, o: { checkpoint?: string; exportSize?: number; exportDevice?: 'cpu' | 'auto' }): LaunchSpec {
  if (run.kind !== 'train') throw new RpcError('bad_request', 'Only a training run has an adapter to merge.');
  if (['starting', 'running', 'stopping'].includes(run.status)) throw new RpcError('conflict', 'Export once the run has ended: its adapter is still being written.');
  const adapterDir = o.checkpoint ? join(run.outputDir, o.checkpoint) : run.outputDir;
  if (!existsSync(join(adapterDir, 'adapter_config.json'))) {
    throw new RpcError('not_found', `No adapter in ${adapterDir} (adapter_config.json is missing): the run saved none there.`);
  }
  let yaml: string;
  try {
    yaml = readFileSync(run.configPath, 'utf8');
  } catch {
    throw new RpcError('not_found', `The run's config copy is missing (${run.configPath}).`);
  }
  const exportDir = nextExportDir(adapterDir);
  let configYaml: string;
  try {
    configYaml = exportConfigYaml(yaml, { adapterDir, workDir: run.workDir, exportDir, ...(o.exportSize ? { exportSize: o.exportSize } : {}), ...(o.exportDevice ? { exportDevice: o.exportDevice } : {}) });
  } catch (e) {
    throw new RpcError('bad_request', (e as Error).message);
  }
  const onGpu = o.exportDevice === 'auto';
  return {
    name: `${run.name} · merged${o.checkpoint ? ` ${o.checkpoint}` : ''}`,
    kind: 'export',
    taskId: run.taskId,
    sweepId: run.sweepId,
    parentRunId: run.id,
    configYaml: `# Export config written by Trainyard: merges run ${run.name} (${run.id})${o.checkpoint ? `, ${o.checkpoint}` : ''} into its base model.\n${configYaml}`,
    workDir: run.workDir,
    // LF's default export runs on the CPU (parser.py:694-695): no card is taken from training.
    gpuIndices: onGpu ? run.gpuIndices : [],
    gpuUuids: onGpu ? run.gpuUuids : [],
    estimateMiB: null,
  };
}
