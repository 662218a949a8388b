/** Demo tasks whose paths are absolute, so their text holds wherever it is imported: a dropped file, another engine of this machine (a remote box). */
import { readFileSync } from 'node:fs';
import { join } from 'node:path';
import { repoRoot } from './fixtures.js';

/** The config text, with `extra` keys (output_dir, learning_rate…) appended as `key: value` lines. */
export function portableTaskYaml(extra: Record<string, string> = {}): string {
  const lines = [
    `model_name_or_path: ${join(repoRoot, 'resources/trainers/demo/base-model')}`,
    'trust_remote_code: true',
    'stage: sft',
    'do_train: true',
    'finetuning_type: lora',
    'lora_target: all',
    'dataset: support_shop',
    `dataset_dir: ${join(repoRoot, 'resources/examples/data')}`,
    'template: demo',
    'cutoff_len: 256',
    'per_device_train_batch_size: 8',
    'num_train_epochs: 1.0',
    'report_to: none',
    ...Object.entries(extra).map(([k, v]) => `${k}: ${v}`),
  ];
  return `${lines.join('\n')}\n`;
}

const examples = join(repoRoot, 'resources', 'examples');

/**
 * One of the bundled examples made independent of where the engine stores it: absolute model and dataset paths (a
 * dropped file's text has no folder of its own) and `output_dir` set to `outputDir`.
 */
export function portableExample(file: string, outputDir: string): string {
  return readFileSync(join(examples, file), 'utf8')
    .replace(/^model_name_or_path: (.+)$/m, (_m, p: string) => `model_name_or_path: ${join(examples, p.trim())}`)
    .replace(/^dataset_dir: (.+)$/m, (_m, p: string) => `dataset_dir: ${join(examples, p.trim())}`)
    .replace(/^output_dir: .+$/m, `output_dir: ${outputDir}`);
}
