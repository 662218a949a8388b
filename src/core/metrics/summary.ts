/** Reads a whole metrics file or output dir through the same parsers the live tailer uses, and summarises it (CLI `inspect`, imports, tests). */
import { existsSync, readFileSync, statSync } from 'node:fs';
import { basename, join } from 'node:path';
import type { MetricPoint } from '../../shared/types/run.js';
import type { MetricRecord } from './record.js';
import { MetricSeries, ProgressTracker } from './series.js';
import { SourceParser } from './sourceParser.js';
import { looksLikeTrainerLog } from './trainerLog.js';
import { looksLikeTrainerState, parseTrainerState } from './trainerState.js';

export type SourceKind = 'trainer_log' | 'trainer_state' | 'console';

export interface MetricsSummary {
  source: string;
  format: SourceKind;
  totalSteps: number | null;
  lastStep: number | null;
  finalLoss: number | null;
  minLoss: number | null;
  lastEvalLoss: number | null;
  elapsedSeconds: number | null;
  /** Number of segments (1 + the times steps went back, i.e. resumes). */
  segments: number;
  nanLoss: boolean;
  warnings: string[];
  points: MetricPoint[];
}

/** Which file of a folder holds the metrics: trainer_log.jsonl, then trainer_state.json, then a console log. */
export function findMetricsFile(path: string): string {
  if (!statSync(path).isDirectory()) return path;
  for (const name of ['trainer_log.jsonl', 'trainer_state.json', 'running_log.txt', 'console.log', 'webui_subprocess.log']) {
    if (existsSync(join(path, name))) return join(path, name);
  }
  throw new Error(`No trainer_log.jsonl, trainer_state.json or console log in ${path}.`);
}

export function detectFormat(file: string, head: string): SourceKind {
  if (looksLikeTrainerLog(head) || basename(file).endsWith('trainer_log.jsonl') || head.startsWith('version https://git-lfs'))
    return 'trainer_log';
  if (looksLikeTrainerState(head)) return 'trainer_state';
  return 'console';
}

/** Parses `buf` as `format` into points. Throws only for unreadable input (the caller reports it). */
export function summarizeBuffer(buf: Buffer, format: SourceKind, source: string): MetricsSummary {
  const warnings: string[] = [];
  let records: MetricRecord[];
  if (format === 'trainer_state') {
    const r = parseTrainerState(buf.toString('utf8'));
    records = r.records;
    warnings.push(...r.warnings);
  } else {
    const { parsed } = new SourceParser(format).feed(buf, true);
    records = parsed.records;
    warnings.push(...parsed.warnings);
  }
  const series = new MetricSeries();
  const tracker = new ProgressTracker(Number.POSITIVE_INFINITY);
  const points: MetricPoint[] = [];
  for (const rec of records) {
    const p = series.push(rec, null);
    if (!p) continue;
    const { seq: _seq, ...point } = p;
    points.push(point);
    tracker.point(point, series.state.totalSteps);
  }
  if (!points.length && !warnings.length) warnings.push('No metrics found.');
  const losses = points.map((p) => p.loss).filter((l): l is number => l != null);
  const evals = points.map((p) => p.evalLoss).filter((l): l is number => l != null);
  const elapsed = points.map((p) => p.elapsedSeconds).filter((e): e is number => e != null);
  return {
    source,
    format,
    totalSteps: series.state.totalSteps,
    lastStep: points.length ? series.state.lastStep : null,
    finalLoss: losses.at(-1) ?? null,
    minLoss: losses.length ? losses.reduce((a, b) => (b < a ? b : a)) : null,
    lastEvalLoss: evals.at(-1) ?? null,
    elapsedSeconds: elapsed.at(-1) ?? null,
    segments: points.length ? series.state.segment + 1 : 0,
    nanLoss: series.nanLoss,
    warnings: [...warnings, ...series.warnings, ...(series.nanLoss ? ['The loss became NaN.'] : [])],
    points,
  };
}

export function summarizePath(path: string): MetricsSummary {
  const file = findMetricsFile(path);
  const buf = readFileSync(file);
  return summarizeBuffer(buf, detectFormat(file, buf.subarray(0, 4096).toString('utf8')), file);
}
