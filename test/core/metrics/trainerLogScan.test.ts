/** The byte scanner and the JSON.parse path give the very same records (and warnings) for real, generated and odd trainer_log lines. */
import { readdirSync, readFileSync } from 'node:fs';
import { describe, expect, it } from 'vitest';
import { SourceParser } from '../../../src/core/metrics/sourceParser.js';
import { type LineResult, parseTrainerLogLine } from '../../../src/core/metrics/trainerLog.js';
import { scanTrainerLogLine } from '../../../src/core/metrics/trainerLogScan.js';
import { fixture } from '../../helpers/fixtures.js';

/** The text path alone: what feed() did before the scanner, line by line. */
const viaJson = (text: string): LineResult[] => text.split('\n').map(parseTrainerLogLine);

/** Records and warnings through SourceParser.feed (scanner first, text path for what it declines). */
function viaFeed(text: string) {
  return new SourceParser('trainer_log').feed(Buffer.from(text, 'utf8'), true).parsed;
}

function expected(text: string) {
  const rs = viaJson(text);
  return {
    records: rs.flatMap((r) => (r && 'record' in r ? [r.record] : [])),
    warnings: rs.flatMap((r) => (r && 'warning' in r ? [r.warning] : [])),
  };
}

/** Deep equality that also tells -0 from 0 and NaN from null (toEqual alone is not trusted with -0). */
function sameRecords(a: unknown, b: unknown): void {
  expect(a).toEqual(b);
  // Same key order too (extra and nonFinite are stored and shown in order).
  const signs = (v: unknown): string => JSON.stringify(v, (_k, x: unknown) => (typeof x === 'number' ? (Object.is(x, -0) ? '-0' : String(x)) : x));
  expect(signs(a)).toBe(signs(b));
}

/** The scanner's own answer for one line (null = it declined). */
const scanned = (line: string) => {
  const buf = Buffer.from(line, 'utf8');
  return scanTrainerLogLine(buf, 0, buf.length);
};

describe('real LLaMA-Factory trainer_log.jsonl files', () => {
  const dir = fixture('real-world/trainer_log');
  it.each(readdirSync(dir))('%s', (name) => {
    const text = readFileSync(`${dir}/${name}`, 'utf8');
    const got = viaFeed(text);
    const want = expected(text);
    sameRecords(got.records, want.records);
    expect(got.warnings).toEqual(want.warnings);
    expect(got.bars).toEqual([]);
    // Not a test that passes by declining everything: every JSON line of these files is read by the scanner itself.
    for (const line of text.split('\n').filter((l) => l.startsWith('{'))) expect(scanned(line), line).not.toBeNull();
  });
});

/** A small deterministic generator (mulberry32), so a failure names a seed that reproduces it. */
function rng(seed: number) {
  let a = seed >>> 0;
  return () => {
    a = (a + 0x6d2b79f5) >>> 0;
    let t = a;
    t = Math.imul(t ^ (t >>> 15), t | 1);
    t ^= t + Math.imul(t ^ (t >>> 7), t | 61);
    return ((t ^ (t >>> 14)) >>> 0) / 4294967296;
  };
}

const KEYS = ['current_steps', 'step', 'total_steps', 'loss', 'eval_loss', 'lr', 'learning_rate', 'epoch', 'percentage', 'elapsed_time', 'remaining_time', 'throughput', 'total_tokens', 'accuracy', 'rewards/chosen', 'eval_accuracy', 'predict_loss', 'train_loss', 'train_runtime', 'grad_norm', 'vram_peak', 'constructor', '__proto__', 'x-y.z'];

function numberText(next: () => number): string {
  const pick = Math.floor(next() * 16);
  switch (pick) {
    case 0:
      return String(Math.floor(next() * 100000));
    case 1:
      return String(-next() * 10);
    case 2:
      return (next() * 1e-4).toExponential(Math.floor(next() * 17));
    case 3:
      return `${Math.floor(next() * 10)}e-0${Math.floor(next() * 10)}`;
    case 4:
      return String(2 ** 53 + Math.floor(next() * 1e6)) + '123'; // big integer, beyond a double's exact range
    case 5:
      return '-0';
    case 6:
      return ['-0.0', '0.0', '0e0', '-0E+2', '1E22', '1e23', '9007199254740993', '123456789012345678901234567890', '1e400', '-1e-400'][Math.floor(next() * 10)]!;
    case 7:
      return `${Math.floor(next() * 1000)}.${String(Math.floor(next() * 1e9)).padStart(9, '0')}e${Math.floor(next() * 50) - 25}`;
    case 8:
      return ['NaN', 'Infinity', '-Infinity'][Math.floor(next() * 3)]!;
    case 9:
      return ['01', '1.', '.5', '+1', '1e', '--1', '0x10', '1.e5'][Math.floor(next() * 8)]!; // not JSON
    case 10:
      return `"${Math.floor(next() * 3)}:${String(Math.floor(next() * 60)).padStart(2, '0')}:${String(Math.floor(next() * 60)).padStart(2, '0')}"`;
    case 11:
      return ['"2 days, 3:04:05"', '"12:34"', '"1:02:03.5"', '"nan"', '"-inf"', '"1,234"', '" 7 "', '""', '"abc"'][Math.floor(next() * 9)]!;
    case 12:
      return ['null', 'true', 'false', '{}', '[1,2]', '{"a": 1}'][Math.floor(next() * 6)]!;
    case 13:
      return ['"héllo"', '"损失"', '"tab\\there"', '"quote\\"d"', '"\\u00e9"', '"😀"'][Math.floor(next() * 6)]!;
    default:
      return String(next() * 10 ** (Math.floor(next() * 20) - 10)); // 15–17 significant digits, as Python writes floats
  }
}

function generatedLine(next: () => number): string {
  const n = Math.floor(next() * 12);
  const sep = next() < 0.8 ? ', ' : next() < 0.5 ? ',' : ' , ';
  const colon = next() < 0.8 ? ': ' : next() < 0.5 ? ':' : ' :  ';
  const parts: string[] = [];
  if (next() < 0.9) parts.push(`"current_steps"${colon}${Math.floor(next() * 5000)}`);
  for (let i = 0; i < n; i++) {
    const key = next() < 0.05 ? ['1', '损失', 'a\\"b', 'é', ''][Math.floor(next() * 5)]! : KEYS[Math.floor(next() * KEYS.length)]!;
    parts.push(`"${key}"${colon}${numberText(next)}`);
  }
  let line = `{${parts.join(sep)}}`;
  const odd = next();
  if (odd < 0.03) line = ` ${line}  `;
  else if (odd < 0.05) line = `\t${line}\r`;
  else if (odd < 0.06) line = line.slice(0, -1);
  else if (odd < 0.07) line = `${line}x`;
  else if (odd < 0.08) line = '';
  return line;
}

describe('generated lines', () => {
  it('give the same records and warnings through the scanner as through JSON.parse (4000 lines × 5 seeds)', () => {
    let scannedCount = 0;
    for (const seed of [1, 2, 3, 4, 5]) {
      const next = rng(seed);
      const lines = Array.from({ length: 4000 }, () => generatedLine(next));
      for (const line of lines) {
        const one = viaFeed(line);
        const want = expected(line);
        try {
          sameRecords(one.records, want.records);
          expect(one.warnings).toEqual(want.warnings);
        } catch (e) {
          throw new Error(`seed ${seed}, line ${JSON.stringify(line)}: ${String(e)}`, { cause: e });
        }
        if (scanned(line)) scannedCount++;
      }
      // And as one buffer: lines are cut at the right places.
      const text = lines.join('\n') + '\n';
      const all = viaFeed(text);
      sameRecords(all.records, expected(text).records);
      expect(all.warnings).toEqual(expected(text).warnings);
    }
    // The generator must exercise the scanner itself, not only its fallback.
    expect(scannedCount).toBeGreaterThan(2000);
  });
});

describe('the scanner on its own', () => {
  it('reads numbers exactly as JSON.parse does, on both the exact fast path and the fallback', () => {
    for (const n of ['1e-05', '9.99993856683082e-05', '0.005919786887672044', '-0', '-0.0', '2035.9', '20164912', '9007199254740993', '1e22', '1e23', '5e-324', '1.7976931348623157e308', '0.1', '0.30000000000000004', '123456789012345678']) {
      const r = scanned(`{"current_steps": 1, "loss": ${n}}`);
      expect(r, n).not.toBeNull();
      expect(Object.is(r!.loss, JSON.parse(n) as number), n).toBe(true);
    }
  });

  it('declines what it does not fully understand, so the text path decides', () => {
    for (const line of [
      '{"current_steps": 1, "loss": NaN}',
      '{"current_steps": 1, "loss": -Infinity}',
      '{"current_steps": 1, "loss": {"a": 1}}',
      '{"current_steps": 1, "loss": [1]}',
      '{"current_steps": 1, "note": "a\\"b"}',
      '{"current_steps": 1, "note": "é"}',
      '{"current_steps": 1, "损失": 1}',
      '{"current_steps": 1, "1": 1}',
      '{"current_steps": 1,\t"loss": 1}',
      '{"current_steps": 1, "loss": 1, "loss": null}',
      '{"current_steps": 1, "acc": 1, "acc": 2}',
      '{"current_steps": 01}',
      '{"loss": 1}',
      '{}',
    ])
      expect(scanned(line), line).toBeNull();
  });

  it('reads NaN, -Infinity and unicode lines through the text path with the values kept', () => {
    const { records, warnings } = viaFeed('{"current_steps": 3, "loss": NaN, "note": "损失", "eval_loss": -Infinity, "big": 12345678901234567890}\n');
    expect(warnings).toEqual([]);
    expect(records[0]!.nonFinite).toEqual(['loss', 'eval_loss']);
    expect(records[0]!.extra).toEqual({ big: Number('12345678901234567890') });
  });
});
