/** What a finished run can be evaluated on: the datasets registered in its dataset_info.json (as LLaMA-Factory finds it from the run's folder), the ones it trained on, and its held-out split. */
import { isAbsolute, join, resolve } from 'node:path';
import { parse } from 'yaml';
import type { EvalDatasets } from '../../shared/types/compare.js';
import type { Run } from '../../shared/types/run.js';
import { readTextOrNull } from '../util/boundedRead.js';

const list = (v: unknown): string[] => (typeof v === 'string' ? v.split(',').map((x) => x.trim()).filter(Boolean) : Array.isArray(v) ? v.map(String) : []);

export function evalDatasets(run: Run): EvalDatasets {
  const config = readTextOrNull(run.configPath, 2_000_000);
  let cfg: Record<string, unknown>;
  try {
    cfg = (config ? (parse(config) as Record<string, unknown>) : null) ?? {};
  } catch {
    return { datasets: [], valSize: null, problem: `The run's config copy (${run.configPath}) is not readable YAML.` };
  }
  const valSize = Number(cfg.val_size);
  // dataset_dir defaults to "data", relative to the folder the trainer ran in (LLaMA-Factory hparams/data_args.py).
  const dir = typeof cfg.dataset_dir === 'string' && cfg.dataset_dir ? cfg.dataset_dir : 'data';
  const registry = join(isAbsolute(dir) ? dir : resolve(run.workDir, dir), 'dataset_info.json');
  const trained = new Set(list(cfg.dataset));
  const text = readTextOrNull(registry, 32 * 1024 * 1024);
  let names: string[];
  try {
    names = text ? Object.keys(JSON.parse(text) as Record<string, unknown>) : [];
  } catch {
    return { datasets: [], valSize: valSize > 1e-6 ? valSize : null, problem: `${registry} is not valid JSON.` };
  }
  return {
    datasets: names.sort().map((name) => ({ name, training: trained.has(name) })),
    valSize: valSize > 1e-6 ? valSize : null,
    problem: text === null ? `No dataset registry at ${registry}.` : null,
  };
}
