/** Byte scanner for LLaMA-Factory's flat trainer_log.jsonl lines: fills a MetricRecord straight from the Buffer, or declines (null) so JSON.parse decides. */
import { applyField, classify, emptyRecord, KNOWN_KEYS, type MetricRecord } from './record.js';

const SP = 0x20;
const QUOTE = 0x22;
const COMMA = 0x2c;
const MINUS = 0x2d;
const DOT = 0x2e;
const ZERO = 0x30;
const NINE = 0x39;
const COLON = 0x3a;
const BACKSLASH = 0x5c;
const OPEN = 0x7b;
const CLOSE = 0x7d;

/** 10^0 … 10^22: every one is an exact double, so m × 10^k and m ÷ 10^k round once, exactly as a correct parser does. */
const POW10 = [1e0, 1e1, 1e2, 1e3, 1e4, 1e5, 1e6, 1e7, 1e8, 1e9, 1e10, 1e11, 1e12, 1e13, 1e14, 1e15, 1e16, 1e17, 1e18, 1e19, 1e20, 1e21, 1e22];
/** Past this, m × 10 + 9 could reach 2^53 and stop being exact. */
const MANTISSA_LIMIT = 900719925474098;

/** record.ts's known keys as bytes, bucketed by length and first byte: a key on the line is matched without a string. */
interface KnownKey {
  bytes: Uint8Array;
  key: string;
  /** This key's bit in a line's seen-mask. */
  bit: number;
}
const KEY_TABLE = new Map<number, KnownKey[]>();
KNOWN_KEYS.forEach((key, n) => {
  const bytes = Buffer.from(key, 'latin1');
  const slot = bytes.length * 256 + bytes[0]!;
  const list = KEY_TABLE.get(slot) ?? [];
  list.push({ bytes, key, bit: 2 ** n });
  KEY_TABLE.set(slot, list);
});

/** The known key spelled by buf[s, e), or null. */
function knownKey(buf: Buffer, s: number, e: number): KnownKey | null {
  const list = KEY_TABLE.get((e - s) * 256 + buf[s]!);
  if (!list) return null;
  outer: for (const k of list) {
    for (let i = 1; i < k.bytes.length; i++) if (k.bytes[i] !== buf[s + i]) continue outer;
    return k;
  }
  return null;
}

/** A key made only of ASCII letters, digits (not first: integer keys enumerate first in an object), _ / . - */
function plainKeyByte(c: number, first: boolean): boolean {
  return (c >= 0x61 && c <= 0x7a) || (c >= 0x41 && c <= 0x5a) || c === 0x5f || c === 0x2f || (!first && ((c >= ZERO && c <= NINE) || c === DOT || c === MINUS));
}

/**
 * Buffer's own latin1 decoder, called directly: `toString('latin1', …)` costs as much again in argument handling. It is
 * not in Node's typings, so a runtime without it gets the public call instead.
 */
type Latin1 = Buffer & { latin1Slice?(s: number, e: number): string };
const latin1: (buf: Buffer, s: number, e: number) => string =
  typeof (Buffer.prototype as Latin1).latin1Slice === 'function'
    ? (buf, s, e) => (buf as Latin1).latin1Slice!(s, e)
    : (buf, s, e) => buf.toString('latin1', s, e);

// Where the last value ended (set by the value readers below; the scanner is synchronous, so one slot is enough).
let pos = 0;

/** A JSON number at buf[i]; undefined when it is not one by JSON's grammar (JSON.parse then decides). */
function readNumber(buf: Buffer, i: number, end: number): number | undefined {
  const start = i;
  let neg = false;
  if (buf[i] === MINUS) {
    neg = true;
    i++;
  }
  let c = i < end ? buf[i]! : -1;
  if (c < ZERO || c > NINE) return undefined;
  let m = 0;
  let exact = true;
  let e10 = 0;
  if (c === ZERO) {
    i++;
    c = i < end ? buf[i]! : -1;
    if (c >= ZERO && c <= NINE) return undefined; // a leading zero: not JSON
  } else {
    while (c >= ZERO && c <= NINE) {
      if (m > MANTISSA_LIMIT) exact = false;
      else m = m * 10 + (c - ZERO);
      if (!exact) e10++;
      i++;
      c = i < end ? buf[i]! : -1;
    }
  }
  if (c === DOT) {
    i++;
    c = i < end ? buf[i]! : -1;
    if (c < ZERO || c > NINE) return undefined;
    while (c >= ZERO && c <= NINE) {
      if (m > MANTISSA_LIMIT) exact = false;
      else {
        m = m * 10 + (c - ZERO);
        e10--;
      }
      i++;
      c = i < end ? buf[i]! : -1;
    }
  }
  if (c === 0x65 || c === 0x45) {
    i++;
    c = i < end ? buf[i]! : -1;
    let expNeg = false;
    if (c === MINUS || c === 0x2b) {
      expNeg = c === MINUS;
      i++;
      c = i < end ? buf[i]! : -1;
    }
    if (c < ZERO || c > NINE) return undefined;
    let x = 0;
    while (c >= ZERO && c <= NINE) {
      if (x < 100000) x = x * 10 + (c - ZERO);
      i++;
      c = i < end ? buf[i]! : -1;
    }
    e10 += expNeg ? -x : x;
  }
  pos = i;
  if (exact && e10 >= -22 && e10 <= 22) {
    const v = e10 >= 0 ? m * POW10[e10]! : m / POW10[-e10]!;
    return neg ? -v : v;
  }
  // More digits than a double holds exactly, or a large exponent: the platform's correctly rounded conversion.
  return Number(latin1(buf, start, i));
}

/**
 * Scans one trainer_log line buf[start, end) (no newline). Returns the record only when the line is a flat JSON
 * object it fully understands (ASCII keys and strings without escapes, numbers, true/false/null, single spaces between
 * tokens, no repeated key) and it has a step; anything else is null, and the caller parses the line as text instead.
 */
export function scanTrainerLogLine(buf: Buffer, start: number, end: number): MetricRecord | null {
  let i = start;
  while (i < end && buf[i] === SP) i++;
  while (end > i && buf[end - 1] === SP) end--;
  if (buf[i] !== OPEN || buf[end - 1] !== CLOSE) return null;
  i++;
  const r = emptyRecord('train');
  let seenKnown = 0;
  let seenOther: string[] | null = null;
  let first = true;
  for (;;) {
    while (i < end && buf[i] === SP) i++;
    if (buf[i] === CLOSE && first) {
      i++;
      break;
    }
    // Key.
    if (buf[i] !== QUOTE) return null;
    const ks = ++i;
    while (i < end && plainKeyByte(buf[i]!, i === ks)) i++;
    if (i === ks || buf[i] !== QUOTE) return null;
    const ke = i++;
    const known = knownKey(buf, ks, ke);
    let key: string;
    if (known !== null) {
      // A repeated key: JSON.parse keeps the last value only, so the object path must decide.
      if (seenKnown & known.bit) return null;
      seenKnown |= known.bit;
      key = known.key;
    } else {
      key = latin1(buf, ks, ke);
      if (seenOther?.includes(key)) return null;
      (seenOther ??= []).push(key);
    }
    while (i < end && buf[i] === SP) i++;
    if (buf[i] !== COLON) return null;
    i++;
    while (i < end && buf[i] === SP) i++;
    // Value.
    const c = buf[i];
    if (c === QUOTE) {
      const vs = ++i;
      for (;;) {
        if (i >= end) return null;
        const b = buf[i]!;
        if (b === QUOTE) break;
        if (b === BACKSLASH || b < SP || b >= 0x7f) return null;
        i++;
      }
      applyField(r, key, latin1(buf, vs, i));
      i++;
    } else if (c === MINUS || (c !== undefined && c >= ZERO && c <= NINE)) {
      const v = readNumber(buf, i, end);
      if (v === undefined) return null;
      applyField(r, key, v);
      i = pos;
    } else if (c === 0x6e && buf[i + 1] === 0x75 && buf[i + 2] === 0x6c && buf[i + 3] === 0x6c) {
      i += 4; // null: no value
    } else if (c === 0x74 && buf[i + 1] === 0x72 && buf[i + 2] === 0x75 && buf[i + 3] === 0x65) {
      applyField(r, key, true);
      i += 4;
    } else if (c === 0x66 && buf[i + 1] === 0x61 && buf[i + 2] === 0x6c && buf[i + 3] === 0x73 && buf[i + 4] === 0x65) {
      applyField(r, key, false);
      i += 5;
    } else return null; // NaN, Infinity, nested values: the text path knows them
    first = false;
    while (i < end && buf[i] === SP) i++;
    if (buf[i] === COMMA) {
      i++;
      continue;
    }
    if (buf[i] === CLOSE) {
      i++;
      break;
    }
    return null;
  }
  if (i !== end || r.step === null) return null;
  classify(r);
  return r;
}
