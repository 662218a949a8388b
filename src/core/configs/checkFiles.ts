/** Checks what a config points at on disk: datasets in dataset_info.json, the model, adapters, the DeepSpeed file. */
import { join } from 'node:path';
import type { ValidationIssue } from '../../shared/types/task.js';
import { classifyModelRef, hubSnapshot, resolveIn, type ConfigFs } from './configFs.js';
import type { ParsedConfig } from './parseConfig.js';
import { closest } from './suggest.js';

const names = (v: unknown): string[] =>
  (Array.isArray(v) ? v.map(String) : typeof v === 'string' ? v.split(',') : []).map((s) => s.trim()).filter(Boolean);

function at(parsed: ParsedConfig, key: string): { key: string; line?: number } {
  const line = parsed.keyLines.get(key);
  return line ? { key, line } : { key };
}

export function checkDatasets(parsed: ParsedConfig, workDir: string, fs: ConfigFs): ValidationIssue[] {
  const wanted = [
    ...names(parsed.data.dataset).map((n) => ({ key: 'dataset', name: n })),
    ...names(parsed.data.eval_dataset).map((n) => ({ key: 'eval_dataset', name: n })),
  ];
  if (wanted.length === 0) return [];
  const dirValue = typeof parsed.data.dataset_dir === 'string' ? parsed.data.dataset_dir.trim() : 'data';
  const where = 'dataset_dir' in parsed.data ? 'dataset_dir' : wanted[0]!.key;
  if (dirValue === 'ONLINE') {
    return [{ severity: 'info', message: `dataset_dir is ONLINE: ${wanted.map((w) => w.name).join(', ')} are loaded from the Hub by name.`, ...at(parsed, where) }];
  }
  if (dirValue.startsWith('REMOTE:')) {
    return [{ severity: 'info', message: `dataset_info.json comes from the Hub repo ${dirValue.slice(7)}; names are checked when the run starts.`, ...at(parsed, where) }];
  }
  const dir = resolveIn(workDir, dirValue, fs);
  const infoFile = join(dir, 'dataset_info.json');
  const text = fs.readText(infoFile);
  if (text === null) {
    return [
      {
        severity: 'error',
        message: `dataset_info.json not found in ${dir} (dataset_dir "${dirValue}" resolves against the folder the trainer runs in, ${workDir}). Set dataset_dir to the folder that holds it.`,
        ...at(parsed, where),
      },
    ];
  }
  let info: Record<string, Record<string, unknown>>;
  try {
    info = JSON.parse(text) as Record<string, Record<string, unknown>>;
  } catch (e) {
    return [{ severity: 'error', message: `${infoFile} is not valid JSON: ${e instanceof Error ? e.message : String(e)}`, ...at(parsed, where) }];
  }
  const issues: ValidationIssue[] = [];
  for (const w of wanted) {
    const entry = info[w.name];
    if (!entry || typeof entry !== 'object') {
      const near = closest(w.name, Object.keys(info));
      issues.push({
        severity: 'error',
        message: `Dataset "${w.name}" is not in ${infoFile}.${near ? ` Did you mean ${near}?` : ''}`,
        ...(near ? { suggestion: near } : {}),
        ...at(parsed, w.key),
      });
      continue;
    }
    const remote = entry.hf_hub_url ?? entry.ms_hub_url ?? entry.om_hub_url ?? entry.script_url ?? entry.cloud_file_name;
    if (!remote && typeof entry.file_name === 'string' && !fs.exists(join(dir, entry.file_name))) {
      issues.push({ severity: 'error', message: `Dataset "${w.name}": its file ${join(dir, entry.file_name)} does not exist.`, ...at(parsed, w.key) });
    }
  }
  return issues;
}

export function checkModel(parsed: ParsedConfig, workDir: string, fs: ConfigFs): ValidationIssue[] {
  const v = parsed.data.model_name_or_path;
  if (typeof v !== 'string' || !v.trim()) return [];
  const ref = classifyModelRef(v, workDir, fs);
  const where = at(parsed, 'model_name_or_path');
  if (ref.kind === 'foreign') return [{ severity: 'error', message: `model_name_or_path ${v} is a Windows path; it does not exist on this machine.`, ...where }];
  if (ref.kind === 'path') {
    if (!fs.exists(ref.path)) return [{ severity: 'error', message: `Model folder ${ref.path} does not exist.`, ...where }];
    if (!fs.exists(join(ref.path, 'config.json')))
      return [{ severity: 'warning', message: `${ref.path} has no config.json; is it a model folder?`, ...where }];
    return [];
  }
  if (hubSnapshot(ref.id, fs)) return [];
  return [{ severity: 'info', message: `${ref.id} is not in the Hugging Face cache (${fs.hfHubCache}); it will be downloaded on the first run.`, ...where }];
}

export function checkAdapters(parsed: ParsedConfig, workDir: string, fs: ConfigFs): ValidationIssue[] {
  const issues: ValidationIssue[] = [];
  for (const a of names(parsed.data.adapter_name_or_path)) {
    const ref = classifyModelRef(a, workDir, fs);
    if (ref.kind === 'foreign') issues.push({ severity: 'error', message: `Adapter ${a} is a Windows path; it does not exist on this machine.`, ...at(parsed, 'adapter_name_or_path') });
    // A queued training run may still produce it, so a missing adapter is a warning, not a blocker.
    else if (ref.kind === 'path' && !fs.exists(ref.path))
      issues.push({ severity: 'warning', message: `Adapter folder ${ref.path} does not exist (yet).`, ...at(parsed, 'adapter_name_or_path') });
  }
  return issues;
}

export function checkDeepspeed(parsed: ParsedConfig, workDir: string, fs: ConfigFs): ValidationIssue[] {
  const v = parsed.data.deepspeed;
  if (typeof v !== 'string' || !v.trim()) return [];
  const path = resolveIn(workDir, v.trim(), fs);
  const where = at(parsed, 'deepspeed');
  if (!fs.exists(path)) {
    return [
      {
        severity: 'error',
        message: `DeepSpeed config ${path} does not exist. Paths like examples/deepspeed/… are relative to a LLaMA-Factory checkout; copy the file next to this config or give an absolute path.`,
        ...where,
      },
    ];
  }
  return [{ severity: 'info', message: 'DeepSpeed runs under torchrun; Trainyard launches it with FORCE_TORCHRUN=1.', ...where }];
}
