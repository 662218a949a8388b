/** `trainyard validate <file…> [--json]`: checks LLaMA-Factory configs the way the app does, for scripts and CI. */
import { basename, join, resolve } from 'node:path';
import { nodeConfigFs } from '../../core/configs/configFs.js';
import { readConfigFile } from '../../core/configs/gatherFiles.js';
import { createCatalogueSource, type CatalogueState } from '../../core/configs/installedCatalogue.js';
import { lfFolderNearCli } from '../../core/configs/lfInstall.js';
import { validateConfig } from '../../core/configs/validateConfig.js';
import { taskWorkDir } from '../../core/configs/workDir.js';
import { defaultDataDir } from '../../core/paths.js';
import { defaultSettings } from '../../shared/types/settings.js';
import type { ValidationIssue } from '../../shared/types/task.js';
import { which } from '../../core/util/which.js';
import { parseArgs, UsageError, type Command } from '../args.js';
import { cliRuntime } from '../locations.js';

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

export interface ValidateContext {
  env: NodeJS.ProcessEnv;
  /** The key list: the bundled one, or the installed LLaMA-Factory's (--trainer). */
  keys: CatalogueState;
  /** --llamafactory-dir, or the checkout behind --trainer: the working folder rule's inputs (core/configs/workDir.ts). */
  llamafactoryDir: string | null;
  cliFolder: string | null;
}

export async function validateFile(file: string, vc: ValidateContext): Promise<FileReport> {
  const abs = resolve(file);
  // The same bounded read as an import: regular files only, at most 2 MB, UTF-8 text.
  const read = await readConfigFile(abs);
  if ('reason' in read) return { file, ok: false, errors: [{ message: `Cannot read ${file}: ${read.reason}` }], warnings: [], notes: [] };
  const text = read.content;
  // The same folder the app would run it in: the LLaMA-Factory folder given or found, else the file's own folder.
  const workDir = taskWorkDir({ sourcePath: abs, settingsDir: vc.llamafactoryDir, cliFolder: vc.cliFolder, tasksDir: process.cwd() }).dir;
  const issues = validateConfig(text, { fileName: basename(abs), workDir, catalogue: vc.keys.catalogue, certainty: vc.keys.certainty, fs: nodeConfigFs(vc.env) });
  const errors = issues.filter((i) => i.severity === 'error').map(finding);
  return {
    file,
    ok: errors.length === 0,
    errors,
    warnings: issues.filter((i) => i.severity === 'warning').map(finding),
    notes: issues.filter((i) => i.severity === 'info').map(finding),
  };
}

/** A relative --trainer path is relative to where the command runs, like the config paths. */
const resolveCli = (p: string) => (p.includes('/') ? resolve(p) : p);

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
    'Usage: trainyard validate <file…> [--json] [--llamafactory-dir <dir>] [--trainer <llamafactory-cli>]',
    '',
    'Checks each config the way LLaMA-Factory will: its keys (unknown, removed, wrong types), its own start-up checks,',
    'the datasets in dataset_info.json, and the model, adapter and DeepSpeed paths. Relative paths resolve against the',
    'folder the app would run the config in: the LLaMA-Factory folder (given, or the checkout the file sits in, or the one',
    'behind --trainer), else the file\'s own folder.',
    '',
    '  --json                   print an array: [{file, ok, errors: [{message, line?, key?}], warnings: [...]}]',
    '  --llamafactory-dir <d>   run configs from this LLaMA-Factory folder (holds data/dataset_info.json)',
    '  --trainer <cli>          check keys against the LLaMA-Factory installed for this llamafactory-cli',
    '                           (asks its Python once, cached in the data folder), not the bundled list',
    '',
    'Exit status: 0 all files ok, 1 some file has errors, 2 usage error.',
    '',
  ].join('\n'),
  async main(argv, io) {
    const { flags, positional } = parseArgs(argv, { json: { type: 'boolean' }, 'llamafactory-dir': { type: 'string' }, trainer: { type: 'string' } });
    if (positional.length === 0) throw new UsageError('name at least one config file.');
    const resourcesDir = cliRuntime(io.env).resourcesDir;
    const trainer = typeof flags.trainer === 'string' ? flags.trainer : null;
    const cli = trainer ? which(resolveCli(trainer), io.env) : null;
    if (trainer && !cli) throw new UsageError(`--trainer ${trainer} is not an executable llamafactory-cli.`);
    const source = createCatalogueSource({
      resourcesDir,
      cacheDir: join(defaultDataDir(io.env), 'llamafactory-keys'),
      settings: () => ({ ...defaultSettings, trainer: { ...defaultSettings.trainer, kind: cli ? 'llamafactory' : 'demo', llamafactoryCli: cli } }),
      env: io.env,
      onChange: () => undefined,
    });
    const keys = await source.settled();
    if (cli && keys.certainty !== 'installed') io.err(`${keys.message ?? `No LLaMA-Factory found behind ${cli}`}; using the bundled key list.\n`);
    const lfDir = typeof flags['llamafactory-dir'] === 'string' ? resolve(flags['llamafactory-dir']) : null;
    const vc: ValidateContext = { env: io.env, keys, llamafactoryDir: lfDir, cliFolder: cli ? (lfFolderNearCli(cli)?.path ?? null) : null };
    const reports: FileReport[] = [];
    for (const f of positional) reports.push(await validateFile(f, vc));
    if (flags.json) io.out(JSON.stringify(reports.map(({ file, ok, errors, warnings }) => ({ file, ok, errors, warnings })), null, 2) + '\n');
    else {
      for (const r of reports) io.out(human(r));
      const bad = reports.filter((r) => !r.ok).length;
      io.out(`${reports.length} file${reports.length > 1 ? 's' : ''} checked, ${bad} with errors.\n`);
    }
    return reports.some((r) => !r.ok) ? 1 : 0;
  },
};
