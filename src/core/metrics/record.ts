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

/** `H:MM:SS`, `MM:SS`, `N day(s), H:MM:SS` (Python's str(timedelta)), optional fraction; null when not a duration. */
export function parseDuration(text: unknown): number | null {
  if (typeof text === 'number') return Number.isFinite(text) ? text : null;
  if (typeof text !== 'string') return null;
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

/** Fills a record from a flat key/value object; shared by every source so their fields mean the same. */
export function recordFromFields(fields: Record<string, unknown>, defaultKind: RecordKind = 'train'): MetricRecord {
  const r = emptyRecord(defaultKind);
  for (const [key, raw] of Object.entries(fields)) {
    if (raw === null || raw === undefined) continue;
    const target = KNOWN[key];
    const value = target === 'elapsedSeconds' || target === 'remainingSeconds' ? parseDuration(raw) : toNumber(raw);
    if (value === null) continue;
    if (!Number.isFinite(value)) {
      r.nonFinite.push(key);
      continue;
    }
    if (target) (r[target] as number | null) = value;
    else r.extra[key] = value;
  }
  if (r.loss !== null) r.kind = 'train';
  else if (r.evalLoss !== null || Object.keys(r.extra).some((k) => k.startsWith('eval_') || k.startsWith('predict_')))
    r.kind = 'eval';
  else if ('train_loss' in r.extra || 'train_runtime' in r.extra || r.percentage === 100) r.kind = 'summary';
  else if (r.nonFinite.includes('loss')) r.kind = 'train';
  else r.kind = r.lr !== null ? 'train' : 'progress';
  return r;
}
