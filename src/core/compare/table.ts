/** Builds the run table: one row per train run with metrics, results files, evaluations, energy and its config. */
import { isActiveStatus } from '../../shared/domain/runState.js';
import { diffConfigs } from '../../shared/domain/configDiff.js';
import type { CompareFilter, CompareRow, CompareTable, ConfigValue, ResultFigures, SpotCheckSummary } from '../../shared/types/compare.js';
import type { Run } from '../../shared/types/run.js';
import type { CompareRepo } from '../store/compareRepo.js';
import { readConfig } from './configKeys.js';
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

/** A finished run's energy does not change: read the GPU history for it once. */
const energyCache = new Map<string, number | null>();

function energyOf(r: Run, repo: CompareRepo): number | null {
  const done = r.endedAt !== null && !isActiveStatus(r.status);
  const key = `${r.id}:${r.endedAt}`;
  if (done && energyCache.has(key)) return energyCache.get(key)!;
  const wh = runEnergyWh(repo, r.gpuUuids, r.startedAt, r.endedAt);
  if (done) {
    if (energyCache.size > 50_000) energyCache.clear();
    energyCache.set(key, wh);
  }
  return wh;
}

export type Votes = Map<string, NonNullable<CompareRow['votes']>>;

export function buildRow(r: Run, repo: CompareRepo, predictRun: Run | undefined, spot: SpotCheckSummary | undefined, votes: Votes = new Map()): CompareRow {
  const { config, error: configError } = readConfig(r.configPath, repo);
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
  const end = r.endedAt ?? (r.startedAt !== null && isActiveStatus(r.status) ? Date.now() : null);
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
    energyWh: energyOf(r, repo),
    spotCheck: spot ?? null,
    votes: votes.get(r.id) ?? null,
    predictRunId: predictRun?.id ?? null,
    config,
    configError,
  };
}

/** Rows of the given training runs (a live update of a few rows, without the whole table). */
export function buildRows(allRuns: readonly Run[], repo: CompareRepo, runIds: readonly string[], votes: Votes = new Map()): CompareRow[] {
  const predicts = latestPredictRuns(allRuns);
  const spots = repo.latestSpotChecks();
  const byId = new Map(allRuns.map((r) => [r.id, r]));
  return runIds.flatMap((id) => {
    const r = byId.get(id);
    return r && r.kind === 'train' ? [buildRow(r, repo, predicts.get(r.id), spots.get(r.id), votes)] : [];
  });
}

/**
 * The whole table. `defaultsOf` gives LLaMA-Factory's default of each config key (from the key catalogue): a key one
 * run leaves unset and another sets to its default does not differ.
 */
export function buildTable(
  allRuns: readonly Run[],
  repo: CompareRepo,
  filter?: CompareFilter,
  defaultsOf: (keys: readonly string[]) => Record<string, ConfigValue> = () => ({}),
  votes: Votes = new Map(),
): CompareTable {
  const predicts = latestPredictRuns(allRuns);
  const spots = repo.latestSpotChecks();
  const train = allRuns.filter((r) => r.kind === 'train');
  const rows = train.filter((r) => matchesFilter(r, filter)).map((r) => buildRow(r, repo, predicts.get(r.id), spots.get(r.id), votes));
  const configs = rows.filter((r) => !r.configError).map((r) => r.config);
  const keys = [...new Set(configs.flatMap((c) => Object.keys(c)))];
  const defaults = defaultsOf(keys);
  const { keys: configKeys, differing } = diffConfigs(configs, defaults);
  const uniq = (xs: (string | null)[]) => [...new Set(xs.filter((x): x is string => !!x))].sort();
  // A task is shown by name: the name its newest run got from it (runs are named after their task).
  const taskNames = new Map<string, { name: string; at: number }>();
  for (const r of train) {
    if (!r.taskId) continue;
    const prev = taskNames.get(r.taskId);
    if (!prev || r.createdAt > prev.at) taskNames.set(r.taskId, { name: r.name, at: r.createdAt });
  }
  const tasks = [...taskNames.entries()].map(([id, v]) => ({ id, name: v.name })).sort((a, b) => a.name.localeCompare(b.name));
  return {
    rows,
    configKeys,
    differingKeys: differing,
    defaults,
    facets: { tags: uniq(train.flatMap((r) => r.tags)), tasks, sweeps: uniq(train.map((r) => r.sweepId)) },
  };
}
