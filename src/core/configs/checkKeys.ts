/** Checks each key of a config against the catalogue the way HfArgumentParser will: unused keys, removed keys, types, choices. */
import type { ConfigKind, ValidationIssue } from '../../shared/types/task.js';
import { msg } from '../../shared/messages/message.js';
import { commandFor, describeCatalogue, removedSaid, type KeyCatalogue, type KeySpec, type LfCommand, type RemovedKey } from './catalogue.js';
import { didYouMean, issue, NOTHING } from './issue.js';
import { truthy } from './configKind.js';
import type { ParsedConfig } from './parseConfig.js';
import { closest } from './suggest.js';
import { typeIssue } from './checkTypes.js';

/** Mistakes seen in real configs whose fix is not the nearest spelling. */
const HINTS: Record<string, string> = {
  train_size: 'val_size',
  eval_size: 'val_size',
  model_path: 'model_name_or_path',
  model_name: 'model_name_or_path',
  lr: 'learning_rate',
  epochs: 'num_train_epochs',
  batch_size: 'per_device_train_batch_size',
  max_length: 'cutoff_len',
  max_seq_length: 'cutoff_len',
};

export interface KeyCheckOptions {
  kind: ConfigKind;
  /**
   * installed: the catalogue describes the LLaMA-Factory and transformers that will run, so a key it lacks is certain to
   * stop the run. bundled: the catalogue is LLaMA-Factory ff6d4d1's; the user's install may be older, so a key removed
   * since then is a warning (with its replacement), not a blocker.
   */
  certainty: 'installed' | 'bundled';
}

/** Python's repr of a list of str, as HfArgumentParser prints `sorted(unused_keys)` (transformers hf_argparser.py:383). */
export function pyStrList(keys: string[]): string {
  return `[${[...keys].sort().map((k) => `'${k.replace(/\\/g, '\\\\').replace(/'/g, "\\'")}'`).join(', ')}]`;
}

/** LLaMA-Factory's own words when a key is not a field of the command's dataclasses (parser.py:154 → parse_dict). */
export function unusedKeysMessage(keys: string[]): string {
  return `Some keys are not used by the HfArgumentParser: ${pyStrList(keys)}`;
}

/** A transformers removal older than the oldest transformers LLaMA-Factory accepts is certain, whatever is installed. */
function removedBeforePin(r: RemovedKey, pin: string | null): boolean {
  const floor = /(?:^|,)\s*>=\s*([\d.]+)/.exec(pin ?? '')?.[1];
  if (r.by !== 'transformers' || !floor) return false;
  const v = (s: string) => s.split('.').map((n) => Number(n) || 0);
  const [a, b] = [v(r.since), v(floor)];
  for (let i = 0; i < 3; i++) if ((a[i] ?? 0) !== (b[i] ?? 0)) return (a[i] ?? 0) < (b[i] ?? 0);
  return true;
}

const COMMAND_WORDS: Record<LfCommand, string> = {
  train: 'llamafactory-cli train',
  chat: 'llamafactory-cli chat',
  api: 'llamafactory-cli api',
  export: 'llamafactory-cli export',
  eval: 'llamafactory-cli eval',
  'train:USE_MEGATRON_BRIDGE': 'llamafactory-cli train with USE_MEGATRON_BRIDGE=1',
};

function accepts(spec: KeySpec | undefined, command: LfCommand | null): boolean {
  if (!spec) return false;
  return command === null ? spec.commands.length > 0 : spec.commands.includes(command);
}

export function checkKeys(parsed: ParsedConfig, catalogue: KeyCatalogue, opts: KeyCheckOptions): ValidationIssue[] {
  const issues: ValidationIssue[] = [];
  const command = commandFor(opts.kind);
  const unused = Object.keys(parsed.data).filter((k) => !accepts(catalogue.keys[k], command));
  // HfArgumentParser's own sentence, quoted as LLaMA-Factory prints it in every language.
  const lfUnused = unusedKeysMessage(unused);
  const known = Object.keys(catalogue.keys);
  const versions = describeCatalogue(catalogue);
  const megatron = command === 'train' ? unused.filter((k) => catalogue.keys[k]?.commands.includes('train:USE_MEGATRON_BRIDGE')) : [];

  for (const [key, value] of Object.entries(parsed.data)) {
    const line = parsed.keyLines.get(key);
    const at = { key, ...(line ? { line } : {}) };
    const spec = catalogue.keys[key];
    if (accepts(spec, command)) {
      const problem = typeIssue(key, value, spec!, parsed.raw.get(key), catalogue.removedValues[key], opts.certainty === 'installed');
      if (problem) issues.push({ ...problem, ...(line ? { line } : {}) });
      continue;
    }
    if (spec && command === 'train' && spec.commands.includes('train:USE_MEGATRON_BRIDGE')) {
      // MegatronBridgeArguments (and mcore_adapter's own arguments under USE_MCA=1) are parsed only in those launch modes
      // (parser.py:94-109, 399-407): one warning for them all, at the first.
      if (key === megatron[0])
        issues.push(issue('warning', msg(megatron.length > 1 ? 'config.key.megatronMany' : 'config.key.megatron', { keys: megatron.join(', '), unused: lfUnused }), at));
      continue;
    }
    if (spec && command === 'train' && key === 'kt_config' && truthy(parsed.data.use_kt)) {
      // use_kt needs transformers-kt (parser.py:257-260), whose TrainingArguments carries kt_config (model_args.py:572-573).
      issues.push(issue('warning', msg('config.key.ktConfig', { unused: lfUnused }), at));
      continue;
    }
    if (spec && command) {
      const where = spec.commands.filter((c) => !c.includes(':')).map((c) => COMMAND_WORDS[c]);
      issues.push(issue('error', msg('config.key.otherCommand', { key, command: COMMAND_WORDS[command], commands: where.join(', '), unused: lfUnused }), at));
      continue;
    }
    const removed = catalogue.removed[key];
    if (removed) {
      const certain = opts.certainty === 'installed' || removedBeforePin(removed, catalogue.transformers.pin);
      const said = certain
        ? msg('config.key.removed', { key, unused: lfUnused, removed: removedSaid(key, removed) })
        : msg('config.key.removedMaybe', { removed: removedSaid(key, removed), versions, unused: lfUnused });
      issues.push(issue(certain ? 'error' : 'warning', said, { ...(removed.replacement ? { suggestion: removed.replacement } : {}), ...at }));
      continue;
    }
    if (/^[A-Z][A-Z0-9_]+$/.test(key)) {
      issues.push(issue('error', msg('config.key.envVar', { key, unused: lfUnused }), at));
      continue;
    }
    const near = HINTS[key] ?? closest(key, known);
    const installed = opts.certainty === 'installed' ? msg('config.hint.installed', { versions }) : NOTHING;
    issues.push(issue('error', msg('config.key.unknown', { key, unused: lfUnused, installed, hint: didYouMean(near) }), { ...(near ? { suggestion: near } : {}), ...at }));
  }
  return issues;
}
