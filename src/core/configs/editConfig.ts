/** Edits a config the way a person would: one value changed in place, comments and key order kept, floats PyYAML reads as floats. */
import { isMap, isScalar, parseDocument, Scalar, type Document, type ScalarTag } from 'yaml';
import type { KeyCatalogue } from './catalogue.js';

/** `1.0e-4`, `5.0e-6`, `3.0`, `0.1`: always a dot, and a signed exponent when there is one (PyYAML's float pattern). */
export function formatFloat(n: number): string {
  if (!Number.isFinite(n)) return Number.isNaN(n) ? '.nan' : n < 0 ? '-.inf' : '.inf';
  if (Number.isInteger(n) && Math.abs(n) < 1e15) return `${n}.0`;
  const abs = Math.abs(n);
  if (abs !== 0 && (abs < 1e-3 || abs >= 1e15)) {
    const [mant, exp] = n.toExponential().split('e') as [string, string];
    return `${mant.includes('.') ? mant : `${mant}.0`}e${exp.startsWith('-') ? exp : `+${exp.replace('+', '')}`}`;
  }
  return String(n);
}

/** The text an exponent float had in the file: untouched values are written back exactly as they were. */
const sourceText = new WeakMap<Scalar, string>();

/**
 * Exponent floats (`1.0e-4`, `1e-4`) and the numbers we write: parsed first (before the core `floatExp`, whose
 * stringify would turn an untouched `1.0e-4` into `1e-4`), written back as found, or as formatFloat when new.
 */
const dotFloat: ScalarTag = {
  tag: 'tag:yaml.org,2002:float',
  format: 'DOTFLOAT',
  default: true,
  identify: (v) => typeof v === 'number',
  test: /^[-+]?(?:\.[0-9]+|[0-9]+(?:\.[0-9]*)?)[eE][-+]?[0-9]+$/,
  resolve: (s) => {
    const node = new Scalar(parseFloat(s));
    node.format = 'DOTFLOAT';
    sourceText.set(node, s);
    return node;
  },
  stringify: (node) => {
    const n = Number((node as Scalar).value);
    const src = sourceText.get(node as Scalar);
    return src !== undefined && parseFloat(src) === n ? src : formatFloat(n);
  },
};

export function parseEditable(text: string): Document {
  return parseDocument(text, { customTags: (tags) => [dotFloat, ...tags] });
}

/** True when this key takes floats, so an integer value is written `3.0` and small ones `1.0e-4`. */
function isFloatKey(key: string, catalogue: KeyCatalogue | null): boolean {
  const t = catalogue?.keys[key]?.type;
  return t === 'float';
}

function toNode(doc: Document, key: string, value: unknown, catalogue: KeyCatalogue | null): unknown {
  if (typeof value === 'number' && (!Number.isInteger(value) || isFloatKey(key, catalogue))) {
    const s = new Scalar(value);
    s.format = 'DOTFLOAT';
    return s;
  }
  return doc.createNode(value);
}

/** Sets (or adds, or with undefined removes) a top-level key; the old value's comments stay with the new value. */
export function setValueIn(text: string, key: string, value: unknown, catalogue: KeyCatalogue | null): string {
  const doc = parseEditable(text);
  if (doc.errors.length) throw new Error(`The config has a syntax error, fix it first: ${doc.errors[0]!.message.split('\n')[0]}`);
  if (doc.contents === null) doc.contents = doc.createNode({}) as never;
  if (!isMap(doc.contents)) throw new Error('The config is not a mapping of keys to values.');
  if (value === undefined) {
    doc.delete(key);
    return doc.toString();
  }
  const old = doc.get(key, true);
  const node = toNode(doc, key, value, catalogue);
  if (isScalar(old) && isScalar(node)) {
    node.comment = old.comment;
    node.commentBefore = old.commentBefore;
    node.spaceBefore = old.spaceBefore;
  }
  doc.set(key, node);
  return doc.toString();
}

export function setValues(text: string, values: Record<string, unknown>, catalogue: KeyCatalogue | null): string {
  let out = text;
  for (const [k, v] of Object.entries(values)) out = setValueIn(out, k, v, catalogue);
  return out;
}

/** `1e-4` → `1e-4`, 16 → `16`, 'qwen/x' → `x`: the short form used in sweep task names. */
export function shortValue(v: unknown): string {
  if (typeof v === 'number') {
    if (Number.isInteger(v)) return String(v);
    const abs = Math.abs(v);
    return abs < 1e-3 ? v.toExponential().replace('e-', 'e-').replace(/\.?0+e/, 'e') : String(v);
  }
  if (typeof v === 'boolean') return v ? 'on' : 'off';
  return String(v).split('/').pop()!.replace(/[^\w.-]+/g, '_').slice(0, 24);
}

const ABBREV: Record<string, string> = {
  learning_rate: 'lr',
  lora_rank: 'r',
  lora_alpha: 'a',
  lora_dropout: 'drop',
  per_device_train_batch_size: 'bs',
  gradient_accumulation_steps: 'ga',
  num_train_epochs: 'ep',
  cutoff_len: 'len',
  warmup_ratio: 'wu',
  weight_decay: 'wd',
  model_name_or_path: 'm',
  finetuning_type: 'ft',
};

/** support + {learning_rate: 1e-4, lora_rank: 16} → support-lr1e-4-r16 */
export function sweepName(base: string, combo: [string, unknown][]): string {
  return [base, ...combo.map(([k, v]) => `${ABBREV[k] ?? k}${shortValue(v)}`)].join('-');
}

/** Every combination of the grid's values, in the order given (first key varies slowest). */
export function gridCombos(grid: { key: string; values: unknown[] }[]): [string, unknown][][] {
  let combos: [string, unknown][][] = [[]];
  for (const { key, values } of grid) combos = combos.flatMap((c) => values.map((v) => [...c, [key, v] as [string, unknown]]));
  return combos;
}
