/** The catalogue of LLaMA-Factory config keys (resources/llamafactory/keys.json): its shape, loading, and look-ups. */
import { readFileSync } from 'node:fs';
import { join } from 'node:path';

export type KeyType = 'bool' | 'int' | 'float' | 'str' | 'list' | 'dict' | 'choice' | 'int_or_float' | 'str_or_null';

export interface KeySpec {
  type: KeyType;
  default: unknown;
  group: string;
  choices?: string[];
  required?: boolean;
  doc: string;
}

export interface KeyCatalogue {
  source: string;
  keys: Record<string, KeySpec>;
  /** old name → new name */
  deprecated: Record<string, string>;
  requiredForTrain: string[];
}

export function catalogueFile(resourcesDir: string): string {
  return join(resourcesDir, 'llamafactory', 'keys.json');
}

/** Reads and sanity-checks the catalogue; a broken file is a packaging bug, so the message names the file. */
export function loadCatalogue(file: string): KeyCatalogue {
  let raw: unknown;
  try {
    raw = JSON.parse(readFileSync(file, 'utf8'));
  } catch (e) {
    throw new Error(`Cannot read the LLaMA-Factory key list ${file}: ${e instanceof Error ? e.message : String(e)}`, { cause: e });
  }
  const c = raw as Partial<KeyCatalogue>;
  if (!c || typeof c !== 'object' || !c.keys || typeof c.keys !== 'object') {
    throw new Error(`The LLaMA-Factory key list ${file} has no "keys" object.`);
  }
  return {
    source: String(c.source ?? ''),
    keys: c.keys,
    deprecated: c.deprecated ?? {},
    requiredForTrain: Array.isArray(c.requiredForTrain) ? c.requiredForTrain : ['model_name_or_path', 'output_dir'],
  };
}

const cache = new Map<string, KeyCatalogue>();
/** Cached per file: the domain validates on every edit. */
export function catalogueFor(resourcesDir: string): KeyCatalogue {
  const file = catalogueFile(resourcesDir);
  let c = cache.get(file);
  if (!c) cache.set(file, (c = loadCatalogue(file)));
  return c;
}
