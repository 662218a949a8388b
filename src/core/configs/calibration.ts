/** Calibrates estimates with measured peaks: finished runs of the same model and method give a mean measured/estimated ratio. */
import { readFileSync } from 'node:fs';
import { parse } from 'yaml';
import type { Db } from '../store/db.js';

export interface CalibrationSample {
  model: string;
  finetuningType: string;
  estimateMiB: number;
  peakMiB: number;
}

export interface Calibration {
  runs: number;
  meanRatio: number;
  /** How far off past estimates were, on average (|peak − estimate| / estimate, in percent). */
  meanAbsErrorPct: number;
}

/** Pure: the ratio for one model + method from samples (null without any). */
export function calibrate(samples: CalibrationSample[], model: string, finetuningType: string): Calibration | null {
  const same = samples.filter((s) => s.model === model && s.finetuningType === finetuningType && s.estimateMiB > 0 && s.peakMiB > 0);
  if (same.length === 0) return null;
  const ratios = same.map((s) => s.peakMiB / s.estimateMiB);
  const mean = ratios.reduce((a, b) => a + b, 0) / ratios.length;
  const mae = (ratios.reduce((a, r) => a + Math.abs(r - 1), 0) / ratios.length) * 100;
  return { runs: same.length, meanRatio: Math.round(mean * 1000) / 1000, meanAbsErrorPct: Math.round(mae * 10) / 10 };
}

function signature(yamlText: string): { model: string; ft: string } | null {
  try {
    const d = parse(yamlText) as Record<string, unknown> | null;
    if (!d || typeof d !== 'object' || typeof d.model_name_or_path !== 'string') return null;
    return { model: d.model_name_or_path.trim().replace(/[\\/]+$/, ''), ft: typeof d.finetuning_type === 'string' ? d.finetuning_type : 'lora' };
  } catch {
    return null;
  }
}

interface RunRow {
  id: string;
  config_path: string;
  task_yaml: string | null;
  estimate_mib: number;
  peak_mib: number;
}

/** Reads finished runs that have both figures; the config comes from the run's own copy, else its task. Cached per run id. */
export function createCalibrationSource(db: Db): { samples(): CalibrationSample[] } {
  const cache = new Map<string, { model: string; ft: string } | null>();
  const stmt = db.prepare<RunRow>(
    `SELECT r.id, r.config_path, t.yaml AS task_yaml, r.estimate_mib, r.peak_mib FROM runs r LEFT JOIN tasks t ON t.id = r.task_id
     WHERE r.status = 'finished' AND r.estimate_mib > 0 AND r.peak_mib > 0 ORDER BY r.ended_at DESC LIMIT 500`,
  );
  return {
    samples() {
      const out: CalibrationSample[] = [];
      for (const row of stmt.all()) {
        let sig = cache.get(row.id);
        if (sig === undefined) {
          let text: string | null;
          try {
            text = readFileSync(row.config_path, 'utf8');
          } catch {
            text = row.task_yaml;
          }
          sig = text ? signature(text) : null;
          cache.set(row.id, sig);
        }
        if (sig) out.push({ model: sig.model, finetuningType: sig.ft, estimateMiB: row.estimate_mib, peakMiB: row.peak_mib });
      }
      return out;
    },
  };
}
