/** One parsed metrics event (a trainer_log line, a console dict, a log_history entry) before it gets a segment and a seq. */

export type RecordKind = 'train' | 'eval' | 'summary' | 'progress';

export interface MetricRecord {
  kind: RecordKind;
  /** null when the source does not say (console dicts): the series decides. */
  step: number | null;
  totalSteps: number | null;
  loss: number | null;
  evalLoss: number | null;
  lr: number | null;
  epoch: number | null;
  percentage: number | null;
  elapsedSeconds: number | null;
  remainingSeconds: number | null;
  throughput: number | null;
  totalTokens: number | null;
  /** Any other finite numeric field (accuracy, reward, vram_*, grad_norm, eval_*, rewards/*). */
  extra: Record<string, number>;
  /** Keys whose value was NaN/Infinity (a NaN loss is a failure reason). */
  nonFinite: string[];
}

export function emptyRecord(kind: RecordKind): MetricRecord {
  return {
    kind,
    step: null,
    totalSteps: null,
    loss: null,
    evalLoss: null,
    lr: null,
    epoch: null,
    percentage: null,
    elapsedSeconds: null,
    remainingSeconds: null,
    throughput: null,
    totalTokens: null,
    extra: {},
    nonFinite: [],
  };
}

/** The value of t's ASCII digits in [s, e), or -1 when any is not a digit (then the general reading below decides). */
function digits(t: string, s: number, e: number): number {
  let n = 0;
  for (let i = s; i < e; i++) {
    const d = t.charCodeAt(i) - 48;
    if (d < 0 || d > 9) return -1;
    n = n * 10 + d;
  }
  return n;
}

/** `H:MM:SS` as LLaMA-Factory writes it, read without a regular expression (it is on every trainer_log line). */
function plainHms(t: string): number | null {
  const a = t.indexOf(':');
  const b = t.indexOf(':', a + 1);
  if (a <= 0 || b !== a + 3 || t.length !== b + 3 || t.indexOf(':', b + 1) !== -1) return null;
  // All digits (the usual case, and at most 15 of them, so the sum is exact): no substrings at all.
  if (a <= 15) {
    const h = digits(t, 0, a);
    const m = digits(t, a + 1, b);
    const sec = digits(t, b + 1, t.length);
    if (h >= 0 && m >= 0 && sec >= 0) return h * 3600 + m * 60 + sec;
  }
  const h = Number(t.slice(0, a));
  const m = Number(t.slice(a + 1, b));
  const sec = Number(t.slice(b + 1));
  return Number.isInteger(h) && h >= 0 && Number.isInteger(m) && Number.isInteger(sec) && t.charCodeAt(0) !== 32 ? h * 3600 + m * 60 + sec : null;
}

/** `H:MM:SS`, `MM:SS`, `N day(s), H:MM:SS` (Python's str(timedelta)), optional fraction; null when not a duration. */
export function parseDuration(text: unknown): number | null {
  if (typeof text === 'number') return Number.isFinite(text) ? text : null;
  if (typeof text !== 'string') return null;
  const quick = plainHms(text);
  if (quick !== null) return quick;
  const m = /^\s*(?:(-?\d+) days?,\s*)?(?:(\d+):)?(\d{1,2}):(\d{2}(?:\.\d+)?)\s*$/.exec(text);
  if (!m) return null;
  return Number(m[1] ?? 0) * 86400 + Number(m[2] ?? 0) * 3600 + Number(m[3]) * 60 + Number(m[4]);
}

/** A number from a JSON number, a quoted number (transformers 5.x console dicts) or a "1,234" string; else null. */
export function toNumber(v: unknown): number | null {
  if (typeof v === 'number') return v;
  if (typeof v !== 'string') return null;
  const t = v.trim().replace(/,/g, '');
  if (t === '') return null;
  if (/^[-+]?(nan|inf(inity)?)$/i.test(t)) return t.toLowerCase().includes('nan') ? NaN : t.startsWith('-') ? -Infinity : Infinity;
  const n = Number(t);
  return Number.isNaN(n) ? null : n;
}

const KNOWN: Record<string, keyof MetricRecord> = {
  current_steps: 'step',
  step: 'step',
  total_steps: 'totalSteps',
  loss: 'loss',
  eval_loss: 'evalLoss',
  lr: 'lr',
  learning_rate: 'lr',
  epoch: 'epoch',
  percentage: 'percentage',
  elapsed_time: 'elapsedSeconds',
  remaining_time: 'remainingSeconds',
  throughput: 'throughput',
  total_tokens: 'totalTokens',
};

/** The interned spelling of every key with a column of its own: the byte scanner (trainerLogScan.ts) matches these. */
export const KNOWN_KEYS: readonly string[] = Object.keys(KNOWN);

/**
 * Applies one field to a record: the single rule for what a key and its value mean, shared by every source (the
 * object path below and the byte scanner call it field by field, in the line's order).
 */
export function applyField(r: MetricRecord, key: string, raw: unknown): void {
  if (raw === null || raw === undefined) return;
  const target = KNOWN[key];
  // Numbers are the common case (trainer_log): no string handling for them.
  const value =
    target === 'elapsedSeconds' || target === 'remainingSeconds' ? parseDuration(raw) : typeof raw === 'number' ? raw : toNumber(raw);
  if (value === null) return;
  if (!Number.isFinite(value)) {
    r.nonFinite.push(key);
    return;
  }
  if (target) (r[target] as number | null) = value;
  else r.extra[key] = value;
}

/** Fills a record from a flat key/value object; shared by every source so their fields mean the same. */
export function recordFromFields(fields: Record<string, unknown>, defaultKind: RecordKind = 'train'): MetricRecord {
  const r = emptyRecord(defaultKind);
  for (const key in fields) applyField(r, key, fields[key]);
  classify(r);
  return r;
}

function hasEvalKey(extra: Record<string, number>): boolean {
  for (const k in extra) if (k.startsWith('eval_') || k.startsWith('predict_')) return true;
  return false;
}

/** The kind of a record from its fields (one rule for every source: trainer_log, console dicts, log_history). */
export function classify(r: MetricRecord): void {
  if (r.loss !== null) r.kind = 'train';
  else if (r.evalLoss !== null || hasEvalKey(r.extra)) r.kind = 'eval';
  else if ('train_loss' in r.extra || 'train_runtime' in r.extra || r.percentage === 100) r.kind = 'summary';
  else if (r.nonFinite.includes('loss')) r.kind = 'train';
  else r.kind = r.lr !== null ? 'train' : 'progress';
}
