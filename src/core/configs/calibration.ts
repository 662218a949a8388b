/** Calibrates estimates with measured peaks: finished runs of the same model and method give a mean measured/estimated ratio. */
import { parse } from 'yaml';
import type { CalibrationRow } from '../store/runsRepo.js';
import { readTextOrNull } from '../util/boundedRead.js';

/** A run's config copy is small; anything bigger is not one (bounded read, regular files only). */
const CONFIG_MAX_BYTES = 2 * 1024 * 1024;

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

/** Reads finished runs that have both figures; the config comes from the run's own copy, else its task. Cached per run id. */
export function createCalibrationSource(rows: () => CalibrationRow[]): { samples(): CalibrationSample[] } {
  const cache = new Map<string, { model: string; ft: string } | null>();
  return {
    samples() {
      const out: CalibrationSample[] = [];
      for (const row of rows()) {
        let sig = cache.get(row.id);
        if (sig === undefined) {
          const text = readTextOrNull(row.configPath, CONFIG_MAX_BYTES) ?? row.taskYaml;
          sig = text ? signature(text) : null;
          cache.set(row.id, sig);
        }
        if (sig) out.push({ model: sig.model, finetuningType: sig.ft, estimateMiB: row.estimateMiB, peakMiB: row.peakMiB });
      }
      return out;
    },
  };
}
