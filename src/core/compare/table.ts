/** Builds the run table: one row per train run with metrics, results files, evaluations, energy and its config. */
import type { CompareFilter, CompareRow, CompareTable, ResultFigures, SpotCheckSummary } from '../../shared/types/compare.js';
import type { Run } from '../../shared/types/run.js';
import type { CompareRepo } from '../store/compareRepo.js';
import { diffConfigs, readConfig } from './configKeys.js';
import { runEnergyWh } from './energy.js';
import { readResultsDir, readTrainerState } from './results.js';

export function matchesFilter(r: Run, f: CompareFilter | undefined): boolean {
  if (!f) return true;
  if (f.status?.length && !f.status.includes(r.status)) return false;
  if (f.tag && !r.tags.includes(f.tag)) return false;
  if (f.taskId && r.taskId !== f.taskId) return false;
  if (f.sweepId && r.sweepId !== f.sweepId) return false;
  if (f.from !== undefined && r.createdAt < f.from) return false;
  if (f.to !== undefined && r.createdAt > f.to) return false;
  if (f.text && !`${r.name} ${r.notes} ${r.tags.join(' ')}`.toLowerCase().includes(f.text.toLowerCase())) return false;
  return true;
}

/** The newest finished predict run of each training run (its figures are the run's BLEU/ROUGE). */
export function latestPredictRuns(runs: readonly Run[]): Map<string, Run> {
  const out = new Map<string, Run>();
  for (const r of runs) {
    if (r.kind !== 'predict' || !r.parentRunId || r.status !== 'finished') continue;
    const prev = out.get(r.parentRunId);
    if (!prev || r.createdAt > prev.createdAt) out.set(r.parentRunId, r);
  }
  return out;
}

const n = (v: number | undefined | null): number | null => (v === undefined || v === null || !Number.isFinite(v) ? null : v);

export function buildRow(r: Run, repo: CompareRepo, predictRun: Run | undefined, spot: SpotCheckSummary | undefined): CompareRow {
  const { config, error: configError } = readConfig(r.configPath);
  const own = readResultsDir(r.outputDir).figures;
  const predict: ResultFigures | null = predictRun ? readResultsDir(predictRun.outputDir).figures : null;
  const s = repo.summary(r.id);
  let finalLoss = s.finalLoss;
  let minLoss = s.minLoss;
  let lastEval = s.lastEvalLoss;
  let bestEval = s.bestEvalLoss;
  if (!s.points) {
    // A run imported or tracked before metrics existed: HF's trainer_state.json holds the same log.
    const st = readTrainerState(r.outputDir);
    for (const e of st?.log ?? []) {
      const loss = e.values.loss;
      const ev = e.values.eval_loss;
      if (loss !== undefined) {
        finalLoss = loss;
        minLoss = minLoss === null ? loss : Math.min(minLoss, loss);
      }
      if (ev !== undefined) {
        lastEval = ev;
        bestEval = bestEval === null ? ev : Math.min(bestEval, ev);
      }
    }
  }
  const evalLoss = n(own?.evalLoss);
  const end = r.endedAt ?? (r.startedAt !== null && ['starting', 'running', 'stopping'].includes(r.status) ? Date.now() : null);
  const durationS = r.startedAt !== null && end !== null ? (end - r.startedAt) / 1000 : n(own?.trainRuntimeS);
  const measuredTps = s.maxTokens && s.maxElapsedS ? s.maxTokens / s.maxElapsedS : null;
  const fig = predict ?? own;
  return {
    runId: r.id,
    name: r.name,
    status: r.status,
    taskId: r.taskId,
    sweepId: r.sweepId,
    gpuIndices: r.gpuIndices,
    tags: r.tags,
    notes: r.notes,
    createdAt: r.createdAt,
    startedAt: r.startedAt,
    endedAt: r.endedAt,
    durationS,
    finalLoss: finalLoss ?? n(own?.trainLoss),
    minLoss,
    lastEvalLoss: lastEval ?? evalLoss,
    bestEvalLoss: bestEval ?? evalLoss,
    evalAccuracy: n(own?.evalAccuracy),
    bleu4: n(fig?.bleu4),
    rouge1: n(fig?.rouge1),
    rouge2: n(fig?.rouge2),
    rougeL: n(fig?.rougeL),
    tokensPerSec: n(own?.tokensPerSec) ?? measuredTps ?? r.progress?.tokensPerSec ?? null,
    peakMiB: r.peakMiB,
    estimateMiB: r.estimateMiB,
    energyWh: runEnergyWh(repo, r.gpuUuids, r.startedAt, r.endedAt),
    spotCheck: spot ?? null,
    predictRunId: predictRun?.id ?? null,
    config,
    configError,
  };
}

export function buildTable(allRuns: readonly Run[], repo: CompareRepo, filter?: CompareFilter): CompareTable {
  const predicts = latestPredictRuns(allRuns);
  const spots = repo.latestSpotChecks();
  const train = allRuns.filter((r) => r.kind === 'train');
  const rows = train.filter((r) => matchesFilter(r, filter)).map((r) => buildRow(r, repo, predicts.get(r.id), spots.get(r.id)));
  const { keys, differing } = diffConfigs(rows.filter((r) => !r.configError).map((r) => r.config));
  const uniq = (xs: (string | null)[]) => [...new Set(xs.filter((x): x is string => !!x))].sort();
  return {
    rows,
    configKeys: keys,
    differingKeys: differing,
    facets: { tags: uniq(train.flatMap((r) => r.tags)), tasks: uniq(train.map((r) => r.taskId)), sweeps: uniq(train.map((r) => r.sweepId)) },
  };
}
