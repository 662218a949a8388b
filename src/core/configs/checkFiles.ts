/** Checks what a config points at on disk: datasets in dataset_info.json, the model, adapters, the DeepSpeed file. */
import { isAbsolute, join } from 'node:path';
import type { ValidationIssue } from '../../shared/types/task.js';
import { textOf, type ReadFailure } from '../util/boundedRead.js';
import { classifyModelRef, hubSnapshot, resolveIn, type ConfigFs } from './configFs.js';
import type { ParsedConfig } from './parseConfig.js';
import { closest } from './suggest.js';
import { didYouMean, issue, NOTHING, theirs } from './issue.js';
import { msg, type Message } from '../../shared/messages/message.js';

const names = (v: unknown): string[] =>
  (Array.isArray(v) ? v.map(String) : typeof v === 'string' ? v.split(',') : []).map((s) => s.trim()).filter(Boolean);

/** For a relative path, where it was resolved: the reader sees why a folder that exists elsewhere was not found. */
function relativeNote(value: string, workDir: string): Message {
  const v = value.trim();
  return isAbsolute(v) || v.startsWith('~') ? NOTHING : msg('config.hint.relative', { value: v, workDir });
}

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
    return [issue('info', msg('config.dataset.online', { names: wanted.map((w) => w.name).join(', ') }), at(parsed, where))];
  }
  if (dirValue.startsWith('REMOTE:')) {
    return [issue('info', msg('config.dataset.remote', { repo: dirValue.slice(7) }), at(parsed, where))];
  }
  const dir = resolveIn(workDir, dirValue, fs);
  const infoFile = join(dir, 'dataset_info.json');
  const read = fs.read(infoFile);
  if ('why' in read) {
    if (read.why !== 'missing') return [issue('error', notRead(infoFile, read.why), at(parsed, where))];
    return [issue('error', msg('config.dataset.noInfo', { dir, value: dirValue, workDir }), at(parsed, where))];
  }
  const text = read.text;
  let info: Record<string, Record<string, unknown>>;
  try {
    info = JSON.parse(text) as Record<string, Record<string, unknown>>;
  } catch (e) {
    return [issue('error', msg('config.dataset.badInfo', { file: infoFile, detail: theirs(e) }), at(parsed, where))];
  }
  const issues: ValidationIssue[] = [];
  for (const w of wanted) {
    const entry = info[w.name];
    if (!entry || typeof entry !== 'object') {
      const near = closest(w.name, Object.keys(info));
      issues.push(issue('error', msg('config.dataset.unknown', { name: w.name, file: infoFile, hint: didYouMean(near) }), { ...(near ? { suggestion: near } : {}), ...at(parsed, w.key) }));
      continue;
    }
    const remote = entry.hf_hub_url ?? entry.ms_hub_url ?? entry.om_hub_url ?? entry.script_url ?? entry.cloud_file_name;
    if (!remote && typeof entry.file_name === 'string' && !fs.exists(join(dir, entry.file_name))) {
      issues.push(issue('error', msg('config.dataset.noFile', { name: w.name, file: join(dir, entry.file_name) }), at(parsed, w.key)));
    }
  }
  return issues;
}

export function checkModel(parsed: ParsedConfig, workDir: string, fs: ConfigFs): ValidationIssue[] {
  const v = parsed.data.model_name_or_path;
  if (typeof v !== 'string' || !v.trim()) return [];
  const ref = classifyModelRef(v, workDir, fs);
  const where = at(parsed, 'model_name_or_path');
  if (ref.kind === 'foreign') return [issue('error', msg('config.model.windowsPath', { path: v }), where)];
  if (ref.kind === 'path') {
    if (!fs.exists(ref.path)) {
      if (/^\/path\/to\//.test(v.trim())) return [issue('error', msg('config.model.placeholder', { path: v.trim() }), where)];
      // saves/… is where LLaMA-Factory's examples and LlamaBoard put training outputs (webui/common.py:42 DEFAULT_SAVE_DIR): a
      // queued training task may still write it, so it warns like a missing adapter instead of blocking.
      if (/^(\.[\\/])?saves[\\/]/.test(v.trim()))
        return [issue('warning', msg('config.model.notYet', { path: ref.path, relative: relativeNote(v, workDir) }), where)];
      return [issue('error', msg('config.model.missing', { path: ref.path }), where)];
    }
    if (!fs.exists(join(ref.path, 'config.json')))
      return [issue('warning', msg('config.model.noConfig', { path: ref.path }), where)];
    return [];
  }
  if (hubSnapshot(ref.id, fs)) return [];
  return [issue('info', msg('config.model.notCached', { id: ref.id, cache: fs.hfHubCache }), where)];
}

export function checkAdapters(parsed: ParsedConfig, workDir: string, fs: ConfigFs): ValidationIssue[] {
  const issues: ValidationIssue[] = [];
  const v = parsed.data.adapter_name_or_path;
  if (typeof v === 'string' && !v.trim()) {
    return [issue('error', msg('config.adapter.empty'), at(parsed, 'adapter_name_or_path'))];
  }
  for (const a of names(parsed.data.adapter_name_or_path)) {
    const ref = classifyModelRef(a, workDir, fs);
    if (ref.kind === 'foreign') issues.push(issue('error', msg('config.adapter.windowsPath', { path: a }), at(parsed, 'adapter_name_or_path')));
    // A queued training run may still produce it, so a missing adapter is a warning, not a blocker.
    else if (ref.kind === 'path' && !fs.exists(ref.path))
      issues.push(issue('warning', msg('config.adapter.notYet', { path: ref.path, relative: relativeNote(a, workDir) }), at(parsed, 'adapter_name_or_path')));
  }
  return issues;
}

/** The ZeRO stage of the run's DeepSpeed config (what transformers' is_deepspeed_zero3_enabled() will see), or null. */
export function deepspeedStage(value: unknown, workDir: string, fs: ConfigFs): number | null {
  if (typeof value !== 'string' || !value.trim()) return null;
  const text = textOf(fs.read(resolveIn(workDir, value.trim(), fs)));
  if (text === null) return null;
  try {
    const stage = (JSON.parse(text) as { zero_optimization?: { stage?: unknown } }).zero_optimization?.stage;
    return typeof stage === 'number' ? stage : null;
  } catch {
    return null;
  }
}

export function checkDeepspeed(parsed: ParsedConfig, workDir: string, fs: ConfigFs): ValidationIssue[] {
  const v = parsed.data.deepspeed;
  if (typeof v !== 'string' || !v.trim()) return [];
  const path = resolveIn(workDir, v.trim(), fs);
  const where = at(parsed, 'deepspeed');
  if (!fs.exists(path)) {
    return [issue('error', msg('config.deepspeed.missing', { path, value: v.trim(), workDir }), where)];
  }
  const read = fs.read(path);
  if ('why' in read) return [issue('error', notRead(path, read.why), where)];
  try {
    JSON.parse(read.text);
  } catch (e) {
    return [issue('error', msg('config.deepspeed.badJson', { path, detail: theirs(e) }), where)];
  }
  return [issue('info', msg('config.deepspeed.torchrun', { path }), where)];
}

/** A file a config points at that exists but was not read: a pipe, a device, a folder, too large, or not readable. */
function notRead(path: string, why: ReadFailure) {
  const code = why === 'not-regular' ? 'config.file.notRegular' : why === 'too-large' ? 'config.file.tooLarge' : 'config.file.unreadable';
  return msg(code, { path });
}
