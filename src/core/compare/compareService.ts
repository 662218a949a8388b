/** Compare's work: the run table, curves, predict runs, spot-checks and exports over compare's repository and the runs. */
import { mkdirSync, readFileSync, rmdirSync } from 'node:fs';
import { basename } from 'node:path';
import { isActiveStatus } from '../../shared/domain/runState.js';
import { RpcError } from '../../shared/rpc/protocol.js';
import type { VoteStats } from '../../shared/types/chat.js';
import type { CompareFilter, CompareRow, CompareTable, ConfigValue, CurveMetric, CurveSeries, PredictDetail, SpotCheckDetail, SpotCheckSummary } from '../../shared/types/compare.js';
import type { Run } from '../../shared/types/run.js';
import type { CoreContext } from '../context.js';
import type { GpuMonitor } from '../gpu/gpuDomain.js';
import type { RunSupervisor } from '../runs/supervisorApi.js';
import { createCompareRepo, publicSpotCheck } from '../store/compareRepo.js';
import { BoundedReadError, readRegularFile, readRegularFileSync } from '../util/boundedRead.js';
import { newId } from '../util/ids.js';
import { catalogueFor } from '../configs/catalogue.js';
import { normaliseConfigValue } from './configKeys.js';
import { tableToCsv } from './csv.js';
import { dropCurves, runCurve } from './curves.js';
import { evalDatasets } from './evalDatasets.js';
import { nextPredictDir, pickGpu, predictConfigYaml } from './predict.js';
import { renderReport } from './report.js';
import { parsePredictions, readResultsDir } from './results.js';
import { runSpotCheck, type InferenceProvider } from './spotCheck.js';
import { parseSpotCheckFile } from './spotCheckFile.js';
import { buildRows, buildTable, latestPredictRuns } from './table.js';

/** The contract lets a browser upload a test file of up to 20 MB; a path on the engine's machine gets the same limit. */
const MAX_SPOT_CHECK_BYTES = 20_000_000;
const MAX_PREDICTIONS_BYTES = 256 * 1024 * 1024;

export interface CompareDeps {
  runs: RunSupervisor;
  /** For picking a free GPU for predict; without it the run's own GPU is used. */
  gpus?: GpuMonitor;
  /** The chat domain's server manager; without it spot-checks fail with a clear message. */
  inference?: InferenceProvider;
  /** Blind side-by-side votes per run (the chat domain keeps them). */
  votes?: (runIds?: string[]) => VoteStats[];
}

export interface PredictRequest {
  runId: string;
  evalDataset?: string | undefined;
  maxSamples?: number | undefined;
  gpuIndex?: number | undefined;
}

export interface SpotCheckRequest {
  runId: string;
  path?: string | undefined;
  content?: string | undefined;
  fileName?: string | undefined;
  maxTokens?: number | undefined;
}

export interface ReportRequest {
  runIds: string[];
  onlyDiffering?: boolean | undefined;
  axis?: 'step' | 'epoch' | 'tokens' | 'time' | undefined;
  smoothing?: number | undefined;
  logScale?: boolean | undefined;
}

const stamp = () => new Date().toISOString().slice(0, 19).replace(/[:T]/g, '-');

export function createCompareService(ctx: CoreContext, deps: CompareDeps) {
  const repo = createCompareRepo(ctx.db);
  /** Spot-checks in progress by id, for cancel and shutdown. */
  const aborts = new Map<string, AbortController>();
  let offRuns: (() => void) | null = null;
  let offMetrics: (() => void) | null = null;

  const need = (id: string): Run => {
    const r = deps.runs.get(id);
    if (!r) throw new RpcError('not_found', `No run ${id}.`);
    return r;
  };
  /** LLaMA-Factory's defaults of these keys, from the key catalogue (none when it cannot be read). */
  const defaultsOf = (keys: readonly string[]): Record<string, ConfigValue> => {
    let specs: Record<string, { default?: unknown }>;
    try {
      specs = catalogueFor(ctx.resourcesDir).keys;
    } catch {
      return {};
    }
    const out: Record<string, ConfigValue> = {};
    for (const k of keys) if (Object.hasOwn(specs, k) && specs[k]!.default !== undefined) out[k] = normaliseConfigValue(specs[k]!.default);
    return out;
  };
  const votesOf = () => new Map((deps.votes?.() ?? []).map((v) => [v.runId, { wins: v.wins, losses: v.losses, ties: v.ties }]));
  const table = (filter?: CompareFilter): CompareTable => buildTable(deps.runs.list(), repo, filter, defaultsOf, votesOf());
  const changed = (runId: string, spotCheck?: SpotCheckSummary) => ctx.bus.emit('compare.changed', { runId, ...(spotCheck ? { spotCheck } : {}) });
  const storedCheck = (id: string) => {
    const s = repo.spotCheck(id);
    if (!s) throw new RpcError('not_found', `No spot-check ${id}.`);
    return s;
  };

  /** Parses the test file, records the check and runs it in the background; its summary comes back at once. */
  const startSpotCheck = (runId: string, text: string, file: string, maxTokens: number | undefined): SpotCheckSummary => {
    const run = need(runId);
    const inference = deps.inference!;
    let cases;
    try {
      cases = parseSpotCheckFile(text, file);
    } catch (e) {
      throw new RpcError('bad_request', (e as Error).message);
    }
    const summary: SpotCheckSummary = {
      id: newId('chk'),
      status: 'running',
      file,
      total: cases.length,
      done: 0,
      exactMatch: null,
      contains: null,
      rougeL: null,
      meanTtftMs: null,
      meanTotalMs: null,
      meanTokensPerSec: null,
      error: null,
      createdAt: Date.now(),
    };
    repo.insertSpotCheck({ ...summary, runId: run.id });
    const abort = new AbortController();
    aborts.set(summary.id, abort);
    void runSpotCheck({ id: summary.id, runId: run.id, file, cases, maxTokens: maxTokens ?? 256 }, repo, inference, (s) => changed(run.id, s), abort.signal)
      .catch((e: unknown) => {
        repo.updateSpotCheck(summary.id, 'failed', (e as Error).message);
        changed(run.id);
      })
      .finally(() => aborts.delete(summary.id));
    changed(run.id, summary);
    return summary;
  };

  return {
    repo,
    start(): void {
      repo.failInterrupted();
      // A predict run that finishes changes its parent's BLEU/ROUGE columns.
      offRuns = deps.runs.onChange((r) => {
        if (r.kind === 'predict' && r.parentRunId && !isActiveStatus(r.status)) changed(r.parentRunId);
      });
      offMetrics = ctx.bus.on('runs.metrics', (d) => {
        if (!d.reset) return;
        repo.dropSummary(d.runId);
        dropCurves(d.runId);
      });
    },
    stop(): void {
      offRuns?.();
      offMetrics?.();
      for (const a of aborts.values()) a.abort();
    },

    table,
    rows: (runIds: readonly string[]): CompareRow[] => buildRows(deps.runs.list(), repo, runIds, votesOf()),
    datasets: (runId: string) => evalDatasets(need(runId)),
    curves: (runIds: readonly string[], metric: CurveMetric, maxPoints?: number): CurveSeries[] =>
      runIds.map((id) => runCurve(repo, need(id), metric, maxPoints ?? 2000)),

    /** Starts LLaMA-Factory predict on a finished training run's adapter, in the next free <output_dir>/predict-<n>. */
    async predict({ runId, evalDataset, maxSamples, gpuIndex }: PredictRequest): Promise<Run> {
      const run = need(runId);
      if (run.kind !== 'train') throw new RpcError('bad_request', 'Only a training run can be evaluated.');
      if (run.status !== 'finished') throw new RpcError('conflict', 'Evaluate a run once it has finished.');
      let yaml: string;
      try {
        yaml = readFileSync(run.configPath, 'utf8');
      } catch {
        throw new RpcError('not_found', `The run's config copy is missing (${run.configPath}).`);
      }
      const outputDir = nextPredictDir(run.outputDir);
      let configYaml: string;
      let gpu: { index: number; uuid: string } | null;
      try {
        configYaml = predictConfigYaml(yaml, { evalDataset: evalDataset ?? null, trainedDir: run.outputDir, outputDir, workDir: run.workDir, ...(maxSamples ? { maxSamples } : {}) });
        gpu = pickGpu(deps.gpus?.snapshot().gpus ?? [], deps.runs.active(), run, gpuIndex);
      } catch (e) {
        throw new RpcError('bad_request', (e as Error).message);
      }
      // Claim predict-<n> now: launch is asynchronous, and a second evaluation started before it creates the folder
      // would pick the same n (and be refused as sharing an output_dir, or overwrite a finished evaluation).
      mkdirSync(outputDir, { recursive: true });
      return deps.runs
        .launch({
          name: `${run.name} · predict ${basename(outputDir).slice('predict-'.length)}`,
          kind: 'predict',
          taskId: run.taskId,
          sweepId: run.sweepId,
          parentRunId: run.id,
          configYaml,
          workDir: run.workDir,
          gpuIndices: gpu ? [gpu.index] : [],
          gpuUuids: gpu ? [gpu.uuid] : [],
          estimateMiB: null,
          outputDir,
        })
        .catch((e: unknown) => {
          try {
            rmdirSync(outputDir); // only while still empty: a launch that failed leaves no predict-<n> behind
          } catch {
            /* not empty, or gone */
          }
          throw e;
        });
    },

    /** The newest predict evaluation of a run: its figures and a page of generated_predictions.jsonl. */
    predictions(runId: string, offset?: number, limit?: number): PredictDetail {
      const run = need(runId);
      const p = latestPredictRuns(deps.runs.list()).get(run.id);
      const dir = p?.outputDir ?? run.outputDir;
      let rows: ReturnType<typeof parsePredictions>['rows'] = [];
      try {
        rows = parsePredictions(readRegularFileSync(`${dir}/generated_predictions.jsonl`, MAX_PREDICTIONS_BYTES).toString('utf8')).rows;
      } catch {
        /* no predictions written (yet) */
      }
      const from = offset ?? 0;
      return {
        runId,
        predictRunId: p?.id ?? null,
        outputDir: dir,
        figures: readResultsDir(dir).figures,
        predictions: rows.slice(from, from + (limit ?? 50)),
        totalPredictions: rows.length,
      };
    },

    /** Starts a spot-check from the file's text, or from a path on the engine's machine. */
    spotCheck({ runId, path, content, fileName, maxTokens }: SpotCheckRequest): SpotCheckSummary | Promise<SpotCheckSummary> {
      need(runId);
      if (!deps.inference) throw new RpcError('unavailable', 'Chat servers are not available in this build, so a spot-check cannot run.');
      const file = fileName ?? (path ? basename(path) : 'test file');
      if (content !== undefined) return startSpotCheck(runId, content, file, maxTokens);
      if (!path) throw new RpcError('bad_request', 'Give the test file (a path or its content).');
      // A path the client names: a regular file within the size a browser upload may have, never a pipe or device.
      return readRegularFile(path, MAX_SPOT_CHECK_BYTES).then(
        (buf) => startSpotCheck(runId, buf.toString('utf8'), file, maxTokens),
        (e: unknown) => {
          throw new RpcError(e instanceof BoundedReadError && e.reason === 'missing' ? 'not_found' : 'bad_request', `Cannot read the test file: ${(e as Error).message}.`);
        },
      );
    },

    /** Stops a running check (it ends failed, "Stopped."); an ended one comes back unchanged. */
    cancelSpotCheck(id: string): SpotCheckSummary {
      const s = storedCheck(id);
      const abort = aborts.get(id);
      if (!abort || s.status !== 'running') return publicSpotCheck(s);
      abort.abort();
      // Marked at once (the loop marks it the same way when its request notices the abort).
      repo.updateSpotCheck(id, 'failed', 'Stopped.');
      const now = publicSpotCheck(storedCheck(id));
      changed(s.runId, now);
      return now;
    },

    spotCheckDetail: (id: string): SpotCheckDetail => ({ ...storedCheck(id), items: repo.items(id) }),

    /** The table (same filter, same columns as shown) as CSV text. */
    exportCsv(filter?: CompareFilter, runIds?: readonly string[], onlyDiffering?: boolean): { csv: string; fileName: string } {
      const t = table(filter);
      const rows = runIds ? t.rows.filter((r) => runIds.includes(r.runId)) : t.rows;
      const keys = onlyDiffering === false ? t.configKeys : t.differingKeys;
      return { csv: tableToCsv(rows, keys), fileName: `trainyard-runs-${stamp()}.csv` };
    },

    /** A self-contained HTML report of the chosen runs: their rows and curves. */
    exportHtml({ runIds, onlyDiffering, axis, smoothing, logScale }: ReportRequest): { html: string; fileName: string } {
      const t = table();
      const rows = runIds.map((id) => t.rows.find((r) => r.runId === id)).filter((r) => r !== undefined);
      if (!rows.length) throw new RpcError('not_found', 'None of these runs is a training run.');
      const curves = Object.fromEntries(
        (['loss', 'eval_loss', 'lr'] as CurveMetric[]).map((m) => [m, rows.map((r) => runCurve(repo, need(r.runId), m, 1500))]),
      ) as Record<CurveMetric, ReturnType<typeof runCurve>[]>;
      // Differing keys among the chosen runs only: that is what the reader of the report compares.
      const sub = buildTable(deps.runs.list().filter((r) => runIds.includes(r.id)), repo, undefined, defaultsOf, votesOf());
      const html = renderReport({
        rows,
        configKeys: onlyDiffering === false ? sub.configKeys : sub.differingKeys,
        differingKeys: new Set(sub.differingKeys),
        curves,
        axis: axis ?? 'step',
        smoothing: smoothing ?? 0.6,
        logScale: logScale ?? false,
        generatedAt: new Date(),
      });
      return { html, fileName: `trainyard-report-${stamp()}.html` };
    },
  };
}

export type CompareService = ReturnType<typeof createCompareService>;
