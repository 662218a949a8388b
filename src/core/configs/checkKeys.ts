/** Checks each key of a config against the catalogue: unknown and renamed keys, wrong types, values outside the choices. */
import type { ValidationIssue } from '../../shared/types/task.js';
import type { KeyCatalogue, KeySpec } from './catalogue.js';
import type { ParsedConfig } from './parseConfig.js';
import { closest } from './suggest.js';

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

/** PyYAML's float needs a dot and a signed exponent: `1e-4` and `1.0e4` are strings to it. */
const PYYAML_FLOAT = /^[-+]?(\d[\d_]*)?\.[\d_]*([eE][-+]\d+)?$|^[-+]?\.(inf|Inf|INF|nan|NaN|NAN)$/;
const NUMERIC = /^[-+]?(\d+\.?\d*|\.\d+)([eE][-+]?\d+)?$/;

function dotted(source: string): string {
  const m = /^([-+]?)(\d+)(?:\.(\d*))?[eE]([-+]?)(\d+)$/.exec(source.trim());
  if (!m) return source;
  return `${m[1]}${m[2]}.${m[3] || '0'}e${m[4] || '+'}${m[5]}`;
}

function typeIssue(key: string, value: unknown, spec: KeySpec, raw: { source: string; quoted: boolean } | undefined): ValidationIssue | null {
  const at = { key };
  if (value === null || value === undefined) {
    if (spec.default === null || spec.type === 'str_or_null') return null;
    return { severity: 'warning', message: `${key} is empty; LLaMA-Factory passes None instead of its default (${JSON.stringify(spec.default)}).`, ...at };
  }
  const shown = raw?.source ?? JSON.stringify(value);
  switch (spec.type) {
    case 'bool':
      if (typeof value === 'boolean') return null;
      if (value === 0 || value === 1)
        return { severity: 'info', message: `${key}: ${shown} is read as ${value === 1 ? 'true' : 'false'}; write ${value === 1 ? 'true' : 'false'}.`, ...at };
      if (typeof value === 'string' && /^(true|false)$/i.test(value))
        return { severity: 'error', message: `${key} is the string "${value}" (quoted): any non-empty string counts as true. Write ${value.toLowerCase()} without quotes.`, ...at };
      return { severity: 'error', message: `${key} must be true or false, got ${shown}.`, ...at };
    case 'int':
      if (typeof value === 'number' && Number.isInteger(value)) {
        if (raw && /[.eE]/.test(raw.source) && !raw.quoted)
          return { severity: 'warning', message: `${key} is an integer; ${shown} is a float to Python. Write ${value}.`, ...at };
        return null;
      }
      if (typeof value === 'string' && /^[-+]?\d+$/.test(value.trim()))
        return { severity: 'warning', message: `${key} is the string "${value}" (quoted); LLaMA-Factory expects a number. Write ${value.trim()} without quotes.`, ...at };
      return { severity: 'error', message: `${key} must be a whole number, got ${shown}.`, ...at };
    case 'float':
    case 'int_or_float':
      if (typeof value === 'number') {
        if (spec.type === 'float' && raw && !raw.quoted && /[eE]/.test(raw.source) && !PYYAML_FLOAT.test(raw.source.trim()))
          return { severity: 'warning', message: `${key}: PyYAML reads ${raw.source} as a string, not a number. Write ${dotted(raw.source)}.`, suggestion: dotted(raw.source), ...at };
        return null;
      }
      if (typeof value === 'string' && NUMERIC.test(value.trim()))
        return { severity: 'warning', message: `${key} is the string "${value}" (quoted); PyYAML keeps it a string. Write ${dotted(value)} without quotes.`, suggestion: dotted(value), ...at };
      return { severity: 'error', message: `${key} must be a number, got ${shown}.`, ...at };
    case 'choice': {
      const choices = spec.choices ?? [];
      if (choices.length === 0 || choices.includes(String(value))) return null;
      const near = closest(String(value), choices);
      return {
        severity: 'error',
        message: `${key}: "${String(value)}" is not one of ${choices.join(', ')}.${near ? ` Did you mean ${near}?` : ''}`,
        ...(near ? { suggestion: near } : {}),
        ...at,
      };
    }
    case 'str':
    case 'str_or_null':
      if (typeof value === 'object') {
        // report_to and friends accept a YAML list too.
        if (Array.isArray(value) && value.every((v) => typeof v === 'string')) return null;
        return { severity: 'error', message: `${key} must be a single value, got a ${Array.isArray(value) ? 'list' : 'mapping'}.`, ...at };
      }
      return null;
    case 'list':
      return Array.isArray(value) || typeof value === 'string' ? null : { severity: 'error', message: `${key} must be a list, got ${shown}.`, ...at };
    case 'dict':
      if (typeof value === 'object' && !Array.isArray(value)) return null;
      if (typeof value === 'string') return { severity: 'info', message: `${key} is given as text; LLaMA-Factory parses it as JSON.`, ...at };
      return { severity: 'error', message: `${key} must be a mapping, got ${shown}.`, ...at };
  }
  return null;
}

export function checkKeys(parsed: ParsedConfig, catalogue: KeyCatalogue): ValidationIssue[] {
  const issues: ValidationIssue[] = [];
  const known = Object.keys(catalogue.keys);
  for (const [key, value] of Object.entries(parsed.data)) {
    const line = parsed.keyLines.get(key);
    const at = { key, ...(line ? { line } : {}) };
    const renamed = catalogue.deprecated[key];
    if (renamed) {
      issues.push({
        severity: 'error',
        message: `${key} was renamed ${renamed}; the transformers version LLaMA-Factory needs rejects the old name.`,
        suggestion: renamed,
        ...at,
      });
      continue;
    }
    const spec = catalogue.keys[key];
    if (!spec) {
      if (/^[A-Z][A-Z0-9_]+$/.test(key)) {
        issues.push({ severity: 'error', message: `${key} is an environment variable, not a config key; Trainyard sets the launch environment itself.`, ...at });
        continue;
      }
      const near = HINTS[key] ?? closest(key, known);
      issues.push({
        severity: 'error',
        message: `Unknown key ${key}: LLaMA-Factory stops with "Some specified arguments are not used".${near ? ` Did you mean ${near}?` : ''}`,
        ...(near ? { suggestion: near } : {}),
        ...at,
      });
      continue;
    }
    const problem = typeIssue(key, value, spec, parsed.raw.get(key));
    if (problem) issues.push({ ...problem, ...(line ? { line } : {}) });
  }
  return issues;
}
