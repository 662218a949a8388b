/** Whether a value has the type the dataclass field expects, as LLaMA-Factory's YAML loader (OmegaConf) will hand it over. */
import type { ValidationIssue } from '../../shared/types/task.js';
import { msg } from '../../shared/messages/message.js';
import { removedSaid, type KeySpec, type RemovedKey } from './catalogue.js';
import { didYouMean, issue } from './issue.js';
import { closest } from './suggest.js';

const NUMERIC = /^[-+]?(\d+\.?\d*|\.\d+)([eE][-+]?\d+)?$/;
/** PyYAML (under OmegaConf.load, parser.py:119) is YAML 1.1: these unquoted words are booleans, not strings. */
const YAML11_BOOL = /^(y|Y|yes|Yes|YES|n|N|no|No|NO|on|On|ON|off|Off|OFF)$/;
const YAML11_TRUE = /^(y|Y|yes|Yes|YES|on|On|ON)$/;

/** The dotted form with a signed exponent (`5.0e-5`): a float to every YAML loader LLaMA-Factory has used. */
function dotted(source: string): string {
  const m = /^([-+]?)(\d+)(?:\.(\d*))?[eE]([-+]?)(\d+)$/.exec(source.trim());
  if (!m) return source.trim();
  return `${m[1]}${m[2]}.${m[3] || '0'}e${m[4] || '+'}${m[5]}`;
}

export function typeIssue(
  key: string,
  value: unknown,
  spec: KeySpec,
  raw: { source: string; quoted: boolean } | undefined,
  removedValues: Record<string, RemovedKey> | undefined,
  /** The installed version's catalogue: a value it lacks certainly stops the run (else an older install may take it). */
  certain = false,
): ValidationIssue | null {
  const at = { key };
  if (value === null || value === undefined) {
    if (spec.nullable || spec.default === null || spec.default === undefined || spec.type === 'any') return null;
    return issue('warning', msg('config.type.empty', { key, default: JSON.stringify(spec.default) }), at);
  }
  const shown = raw?.source ?? JSON.stringify(value);
  switch (spec.type) {
    case 'any':
      return null;
    case 'bool':
      if (typeof value === 'boolean') return null;
      if (value === 0 || value === 1)
        return issue('info', msg('config.type.boolNumber', { key, shown, bool: value === 1 ? 'true' : 'false' }), at);
      if (typeof value === 'string' && raw && !raw.quoted && YAML11_BOOL.test(value)) {
        const b = YAML11_TRUE.test(value);
        return issue('info', msg('config.type.boolYaml11', { key, value, bool: String(b) }), at);
      }
      if (typeof value === 'string' && /^(true|false)$/i.test(value))
        return issue('error', msg('config.type.boolQuoted', { key, value, bool: value.toLowerCase() }), at);
      return issue('error', msg('config.type.bool', { key, shown }), at);
    case 'int':
      if (typeof value === 'number' && Number.isInteger(value)) {
        if (raw && /[.eE]/.test(raw.source) && !raw.quoted)
          return issue('warning', msg('config.type.intFloat', { key, shown, value }), at);
        return null;
      }
      if (typeof value === 'string' && /^[-+]?\d+$/.test(value.trim()))
        return issue('warning', msg('config.type.intQuoted', { key, value, fixed: value.trim() }), at);
      return issue('error', msg('config.type.int', { key, shown }), at);
    case 'float':
    case 'int_or_float':
      if (typeof value === 'number') return null;
      if (typeof value === 'string' && NUMERIC.test(value.trim()))
        return issue('warning', msg('config.type.floatQuoted', { key, value, fixed: dotted(value) }), { suggestion: dotted(value), ...at });
      return issue('error', msg('config.type.number', { key, shown }), at);
    case 'choice': {
      const choices = (spec.choices ?? []).map(String);
      if (choices.length === 0 || choices.includes(String(value))) return null;
      const gone = removedValues?.[String(value)];
      const near = gone?.replacement ?? closest(String(value), choices);
      const hint = gone ? msg('config.hint.removed', { removed: removedSaid(`${key}: ${String(value)}`, gone) }) : didYouMean(near);
      return issue(gone && !certain ? 'warning' : 'error', msg('config.type.choice', { key, value: String(value), choices: choices.join(', '), hint }), {
        ...(near ? { suggestion: near } : {}),
        ...at,
      });
    }
    case 'str':
      if (typeof value === 'object') {
        // LLaMA-Factory splits comma lists itself but also takes a YAML list of names (split_arg keeps a list as is).
        if (Array.isArray(value) && value.every((v) => typeof v === 'string')) return null;
        return issue('error', msg(Array.isArray(value) ? 'config.type.singleNotList' : 'config.type.singleNotMapping', { key }), at);
      }
      return null;
    case 'list':
      return Array.isArray(value) || typeof value === 'string' ? null : issue('error', msg('config.type.list', { key, shown }), at);
    case 'dict':
      if (typeof value === 'object' && !Array.isArray(value)) return null;
      // deepspeed, accelerator_config, fsdp_config: a string is a file path; one starting with { is parsed as JSON.
      if (typeof value === 'string') return null;
      return issue('error', msg('config.type.mapping', { key, shown }), at);
  }
  return null;
}
