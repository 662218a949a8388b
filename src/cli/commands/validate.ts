/** `trainyard validate <file…> [--json]`: checks LLaMA-Factory configs the way the app does, for scripts and CI. */
import { readFileSync, statSync } from 'node:fs';
import { basename, dirname, resolve } from 'node:path';
import { findResourcesDir } from '../../core/createCore.js';
import { catalogueFor } from '../../core/configs/catalogue.js';
import { nodeConfigFs } from '../../core/configs/configFs.js';
import { validateConfig } from '../../core/configs/validateConfig.js';
import type { ValidationIssue } from '../../shared/types/task.js';
import { parseArgs, UsageError, type Command } from '../args.js';

interface Finding {
  message: string;
  line?: number;
  key?: string;
}

export interface FileReport {
  file: string;
  ok: boolean;
  errors: Finding[];
  warnings: Finding[];
  /** Notes (info) are printed in human output; the JSON keeps them apart so `errors`/`warnings` stay strict. */
  notes: Finding[];
}

const finding = (i: ValidationIssue): Finding => ({
  message: i.suggestion && !i.message.includes(i.suggestion) ? `${i.message} (suggestion: ${i.suggestion})` : i.message,
  ...(i.line !== undefined ? { line: i.line } : {}),
  ...(i.key !== undefined ? { key: i.key } : {}),
});

export function validateFile(file: string, env: NodeJS.ProcessEnv, resourcesDir: string): FileReport {
  const abs = resolve(file);
  let text: string;
  try {
    if (statSync(abs).isDirectory()) throw new Error('is a folder; name the config files');
    text = readFileSync(abs, 'utf8');
  } catch (e) {
    const code = (e as NodeJS.ErrnoException).code;
    const msg = code === 'ENOENT' ? 'file not found' : e instanceof Error ? e.message : String(e);
    return { file, ok: false, errors: [{ message: `Cannot read ${file}: ${msg}` }], warnings: [], notes: [] };
  }
  const issues = validateConfig(text, { fileName: basename(abs), workDir: dirname(abs), catalogue: catalogueFor(resourcesDir), fs: nodeConfigFs(env) });
  const errors = issues.filter((i) => i.severity === 'error').map(finding);
  return {
    file,
    ok: errors.length === 0,
    errors,
    warnings: issues.filter((i) => i.severity === 'warning').map(finding),
    notes: issues.filter((i) => i.severity === 'info').map(finding),
  };
}

function human(r: FileReport): string {
  const where = (f: Finding) => `${r.file}${f.line !== undefined ? `:${f.line}` : ''}`;
  const lines = [`${r.ok ? 'ok  ' : 'FAIL'} ${r.file}${r.ok ? '' : ` (${r.errors.length} error${r.errors.length > 1 ? 's' : ''})`}`];
  for (const f of r.errors) lines.push(`  error    ${where(f)}  ${f.message}`);
  for (const f of r.warnings) lines.push(`  warning  ${where(f)}  ${f.message}`);
  for (const f of r.notes) lines.push(`  note     ${where(f)}  ${f.message}`);
  return lines.join('\n') + '\n';
}

export const validateCommand: Command = {
  summary: 'Check LLaMA-Factory config files and report errors and warnings (--json).',
  help: [
    'Usage: trainyard validate <file…> [--json]',
    '',
    'Checks each config against LLaMA-Factory\'s keys (unknown, renamed, wrong types, missing), the datasets in',
    'dataset_info.json, and the model, adapter and DeepSpeed paths (relative paths resolve against the file\'s folder).',
    '',
    '  --json   print an array: [{file, ok, errors: [{message, line?, key?}], warnings: [...]}]',
    '',
    'Exit status: 0 all files ok, 1 some file has errors, 2 usage error.',
    '',
  ].join('\n'),
  async main(argv, io) {
    const { flags, positional } = parseArgs(argv, { json: { type: 'boolean' } });
    if (positional.length === 0) throw new UsageError('name at least one config file.');
    const resourcesDir = io.env.TRAINYARD_RESOURCES_DIR ?? findResourcesDir();
    const reports = positional.map((f) => validateFile(f, io.env, resourcesDir));
    if (flags.json) io.out(JSON.stringify(reports.map(({ file, ok, errors, warnings }) => ({ file, ok, errors, warnings })), null, 2) + '\n');
    else {
      for (const r of reports) io.out(human(r));
      const bad = reports.filter((r) => !r.ok).length;
      io.out(`${reports.length} file${reports.length > 1 ? 's' : ''} checked, ${bad} with errors.\n`);
    }
    return reports.some((r) => !r.ok) ? 1 : 0;
  },
};
