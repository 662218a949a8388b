/** The catalogue of LLaMA-Factory config keys (resources/llamafactory/keys.json, or an installed version's): shape, loading, look-ups. */
import { readFileSync } from 'node:fs';
import { join } from 'node:path';
import { msg, verbatim, type Message } from '../../shared/messages/message.js';
import type { ConfigKind } from '../../shared/types/task.js';

/** How HfArgumentParser reads the field's annotation (resources/llamafactory/keyspec.py `key_spec`). */
export type KeyType = 'bool' | 'int' | 'float' | 'int_or_float' | 'str' | 'choice' | 'dict' | 'list' | 'any';

/** The `llamafactory-cli` commands whose parser accepts a key (keyspec.py COMMANDS). */
export type LfCommand = 'train' | 'chat' | 'api' | 'export' | 'eval' | 'train:USE_MEGATRON_BRIDGE';

export interface KeySpec {
  type: KeyType;
  /** Absent when the default is computed at import time (e.g. transformers' optimizer depends on torch). */
  default?: unknown;
  nullable?: boolean;
  /** A dataclass field without a default: the dataclass cannot be built without it. */
  required?: boolean;
  choices?: unknown[];
  help?: string;
  /** The dataclass that declares it (ModelArguments, TrainingArguments, …). */
  group: string;
  origin: 'llamafactory' | 'transformers';
  commands: LfCommand[];
  /** file:line in the source the bundled catalogue was generated from. */
  source?: string;
}

/** A key (or a value) LLaMA-Factory or transformers removed, with what replaced it and where that happened. */
export interface RemovedKey {
  by: 'llamafactory' | 'transformers';
  replacement: string | null;
  since: string;
  cite: string;
  note?: string;
}

export interface KeyCatalogue {
  llamafactory: { version: string | null; commit: string | null };
  transformers: { version: string | null; pin: string | null; withinPin: boolean | null };
  keys: Record<string, KeySpec>;
  removed: Record<string, RemovedKey>;
  /** key → removed value → what replaced it (e.g. infer_backend: ktransformers). */
  removedValues: Record<string, Record<string, RemovedKey>>;
}

export function catalogueFile(resourcesDir: string): string {
  return join(resourcesDir, 'llamafactory', 'keys.json');
}

export const FORMAT = 2;

/** Parses a catalogue (the bundled file or an introspection's output); anything else is a clear error, not a crash later. */
export function parseCatalogue(text: string, where: string): KeyCatalogue {
  let raw: unknown;
  try {
    raw = JSON.parse(text);
  } catch (e) {
    throw new Error(`Cannot read the LLaMA-Factory key list ${where}: ${e instanceof Error ? e.message : String(e)}`, { cause: e });
  }
  const c = raw as Partial<KeyCatalogue> & { format?: number };
  if (!c || typeof c !== 'object' || c.format !== FORMAT || !c.keys || typeof c.keys !== 'object') {
    throw new Error(`The LLaMA-Factory key list ${where} is not in Trainyard's format ${FORMAT} (regenerate it with scripts/gen-llamafactory-keys.py).`);
  }
  return {
    llamafactory: { version: c.llamafactory?.version ?? null, commit: c.llamafactory?.commit ?? null },
    transformers: { version: c.transformers?.version ?? null, pin: c.transformers?.pin ?? null, withinPin: c.transformers?.withinPin ?? null },
    keys: c.keys,
    removed: c.removed ?? {},
    removedValues: c.removedValues ?? {},
  };
}

export function loadCatalogue(file: string): KeyCatalogue {
  let text: string;
  try {
    text = readFileSync(file, 'utf8');
  } catch (e) {
    throw new Error(`Cannot read the LLaMA-Factory key list ${file}: ${e instanceof Error ? e.message : String(e)}`, { cause: e });
  }
  return parseCatalogue(text, file);
}

/** An installed version's catalogue carries no history: the bundled removed/renamed tables give its hints. */
export function withHistory(installed: KeyCatalogue, bundled: KeyCatalogue): KeyCatalogue {
  return { ...installed, removed: bundled.removed, removedValues: bundled.removedValues };
}

/**
 * The command a config of this kind is given to: predict and eval configs run through `llamafactory-cli train` with
 * do_predict/do_eval, inference configs through chat/api, export configs through export (launcher.py:136-157).
 */
export function commandFor(kind: ConfigKind): LfCommand | null {
  switch (kind) {
    case 'train':
    case 'eval':
      return 'train';
    case 'infer':
      return 'api';
    case 'export':
      return 'export';
    default:
      return null;
  }
}

/**
 * "LLaMA-Factory replaced dpo_beta with pref_beta (b0d996666, 2024-05-26; hiyouga/LLaMA-Factory@b0d996666 "support SimPO #3900")."
 * "transformers 5.2 replaced warmup_ratio with warmup_steps (huggingface/transformers#41326): <note>."
 */
export function removedSaid(what: string, r: RemovedKey): Message {
  const who = r.by === 'transformers' ? `transformers ${r.since}` : 'LLaMA-Factory';
  const where = r.by === 'transformers' ? r.cite : `${r.since}; ${r.cite}`;
  // The note is the catalogue's own English (generated from upstream changelogs): shown as written.
  const note = r.note ? msg('config.removed.note', { note: verbatim(r.note) }) : verbatim('');
  return r.replacement ? msg('config.removed.replaced', { who, what, replacement: r.replacement, where, note }) : msg('config.removed.removed', { who, what, where, note });
}

/** "LLaMA-Factory 0.9.6.dev0 (ff6d4d1) with transformers 4.57.6". */
export function describeCatalogue(c: KeyCatalogue): string {
  const lf = `LLaMA-Factory ${c.llamafactory.version ?? '?'}${c.llamafactory.commit ? ` (${c.llamafactory.commit.slice(0, 7)})` : ''}`;
  return `${lf} with transformers ${c.transformers.version ?? '?'}`;
}

const cache = new Map<string, KeyCatalogue>();
/** Cached per file: the domain validates on every edit. */
export function catalogueFor(resourcesDir: string): KeyCatalogue {
  const file = catalogueFile(resourcesDir);
  let c = cache.get(file);
  if (!c) cache.set(file, (c = loadCatalogue(file)));
  return c;
}
