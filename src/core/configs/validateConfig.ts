/** The validator: one pure function from a config's text to the issues a person should read before it runs. */
import { join } from 'node:path';
import type { ConfigKind, ValidationIssue } from '../../shared/types/task.js';
import { commandFor, type KeyCatalogue } from './catalogue.js';
import { checkAdapters, checkDatasets, checkDeepspeed, checkModel, deepspeedStage } from './checkFiles.js';
import { checkKeys } from './checkKeys.js';
import { readModelConfig, type ConfigFs } from './configFs.js';
import { configKind, isTokenDescriptions, truthy } from './configKind.js';
import { brokenRules } from './lfRules.js';
import { msg, verbatim } from '../../shared/messages/message.js';
import { issue } from './issue.js';
import { isLlamaBoardState } from './llamaboard.js';
import { parseConfig, type ParsedConfig } from './parseConfig.js';

export interface ValidateOptions {
  fileName?: string;
  /** The folder the trainer will run in: relative paths resolve here (workDir.ts decides it). */
  workDir: string;
  catalogue: KeyCatalogue;
  /** Whether the catalogue is the installed LLaMA-Factory's (certain) or the bundled one (see checkKeys). */
  certainty?: 'installed' | 'bundled';
  fs: ConfigFs;
}

export interface ValidationResult {
  issues: ValidationIssue[];
  kind: ConfigKind;
  ok: boolean;
  parsed: ParsedConfig;
}

const norm = (p: unknown) => (typeof p === 'string' ? p.trim().replace(/[\\/]+$/, '') : '');

function lineOf(parsed: ParsedConfig, key: string): { key: string; line?: number } {
  const line = parsed.keyLines.get(key);
  return line ? { key, line } : { key };
}

/** LLaMA-Factory's start-up checks (lfRules.ts), worded as it words them. */
function checkLfRules(parsed: ParsedConfig, kind: ConfigKind, workDir: string, fs: ConfigFs): ValidationIssue[] {
  const d = parsed.data;
  const model = typeof d.model_name_or_path === 'string' ? readModelConfig(d.model_name_or_path, workDir, fs) : null;
  const zero3 = deepspeedStage(d.deepspeed, workDir, fs) === 3;
  return brokenRules({ d, kind, zero3, ptqModel: model ? 'quantization_config' in model : null }).map((r) =>
    issue(
      'error',
      // LLaMA-Factory's own exception text stays as it prints it: the log will show exactly that.
      msg('config.lfRule', { says: verbatim(r.says), cite: r.cite }),
      lineOf(parsed, r.key in d ? r.key : Object.keys(d).find((k) => r.says.includes(`\`${k}\``)) ?? r.key),
    ),
  );
}

/** Facts about what LLaMA-Factory will do that are not errors: a person should still know them before the run. */
function notes(parsed: ParsedConfig, kind: ConfigKind, workDir: string): ValidationIssue[] {
  const d = parsed.data;
  const out: ValidationIssue[] = [];
  if (kind === 'train' && !('do_train' in d)) {
    out.push(issue('warning', msg('config.note.doTrain'), { key: 'do_train' }));
  }
  if ((kind === 'train' || kind === 'eval') && !norm(d.output_dir)) {
    out.push(issue('info', msg('config.note.outputDir', { dir: join(workDir, 'trainer_output') }), { key: 'output_dir' }));
  }
  if (kind === 'eval' && d.adapter_name_or_path && norm(d.output_dir) && norm(d.adapter_name_or_path).split(',').map(norm).includes(norm(d.output_dir))) {
    const code = truthy(d.overwrite_output_dir) ? 'config.note.evalIntoAdapterOverwrite' : 'config.note.evalIntoAdapter';
    out.push(issue('warning', msg(code, { dir: norm(d.output_dir) }), lineOf(parsed, 'output_dir')));
  }
  const ft = typeof d.finetuning_type === 'string' ? d.finetuning_type : 'lora';
  if (ft === 'full' && ('lora_rank' in d || 'lora_target' in d) && kind === 'train') {
    out.push(issue('info', msg('config.note.loraIgnored'), lineOf(parsed, 'lora_rank' in d ? 'lora_rank' : 'lora_target')));
  }
  return out;
}

/** Fields the command's dataclasses cannot be built without, and ModelArguments' own check (model_args.py:207-208). */
function missingRequired(parsed: ParsedConfig, kind: ConfigKind, catalogue: KeyCatalogue): ValidationIssue[] {
  const command = commandFor(kind);
  const required = new Set(['model_name_or_path']);
  for (const [k, spec] of Object.entries(catalogue.keys)) if (spec.required && command && spec.commands.includes(command)) required.add(k);
  const empty = (v: unknown) => v === undefined || v === null || v === '';
  return [...required]
    .filter((k) => empty(parsed.data[k]))
    .map((k) =>
      issue(
        'error',
        k === 'model_name_or_path'
          ? msg('config.key.requiredModel')
          : kind === 'unknown'
            ? msg('config.key.required', { key: k, group: catalogue.keys[k]!.group })
            : msg('config.key.requiredFor', { key: k, kind, group: catalogue.keys[k]!.group }),
        { key: k },
      ),
    );
}

export function validateParsed(parsed: ParsedConfig, opts: ValidateOptions): ValidationResult {
  const issues = [...parsed.issues];
  let kind: ConfigKind = 'unknown';
  if (parsed.doc && issues.length === 0) {
    if (isLlamaBoardState(parsed.data)) {
      issues.push(issue('error', msg('config.llamaboardState'), { line: 1 }));
    } else if (isTokenDescriptions(parsed.data)) {
      issues.push(issue('warning', msg('config.tokenDescriptions'), { line: 1 }));
    } else {
      kind = configKind(parsed.data);
      issues.push(...checkKeys(parsed, opts.catalogue, { kind, certainty: opts.certainty ?? 'bundled' }));
      issues.push(...missingRequired(parsed, kind, opts.catalogue));
      issues.push(...checkLfRules(parsed, kind, opts.workDir, opts.fs));
      issues.push(...notes(parsed, kind, opts.workDir));
      issues.push(...checkModel(parsed, opts.workDir, opts.fs));
      issues.push(...checkAdapters(parsed, opts.workDir, opts.fs));
      issues.push(...checkDatasets(parsed, opts.workDir, opts.fs));
      issues.push(...checkDeepspeed(parsed, opts.workDir, opts.fs));
    }
  }
  const order = { error: 0, warning: 1, info: 2 } as const;
  issues.sort((a, b) => order[a.severity] - order[b.severity] || (a.line ?? 1e9) - (b.line ?? 1e9));
  return { issues, kind, ok: !issues.some((i) => i.severity === 'error'), parsed };
}

/** Validates a config's text against LLaMA-Factory's keys and the files it names. */
export function validateConfig(text: string, opts: ValidateOptions): ValidationIssue[] {
  return validateParsed(parseConfig(text, opts.fileName), opts).issues;
}
