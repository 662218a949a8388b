/** Compare domain: the run table, curves, predict and spot-check evaluations, CSV/HTML export, wired to the contract. */
import { mkdirSync, readFileSync, rmdirSync } from 'node:fs';
import { basename } from 'node:path';
import type { compareMethods, compareTopics } from '../../shared/contract/compare.js';
import { RpcError } from '../../shared/rpc/protocol.js';
import type { CurveMetric, SpotCheckSummary } from '../../shared/types/compare.js';
import type { Run } from '../../shared/types/run.js';
import type { CoreContext } from '../context.js';
import type { Domain } from '../domain.js';
import type { GpuMonitor } from '../gpu/gpuDomain.js';
import type { RunSupervisor } from '../runs/supervisorApi.js';
import { CompareRepo } from '../store/compareRepo.js';
import { newId } from '../util/ids.js';
import { tableToCsv } from './csv.js';
import { dropCurves, runCurve } from './curves.js';
import { nextPredictDir, pickGpu, predictConfigYaml } from './predict.js';
import { parsePredictions, readResultsDir } from './results.js';
import { renderReport } from './report.js';
import { runSpotCheck, type InferenceProvider } from './spotCheck.js';
import { parseSpotCheckFile } from './spotCheckFile.js';
import { buildTable, latestPredictRuns } from './table.js';

export interface CompareDeps {
  runs: RunSupervisor;
  /** For picking a free GPU for predict; without it the run's own GPU is used. */
  gpus?: GpuMonitor;
  /** The chat domain's server manager; without it spot-checks fail with a clear message. */
  inference?: InferenceProvider;
}

const stamp = () => new Date().toISOString().slice(0, 19).replace(/[:T]/g, '-');

export function createCompareDomain(ctx: CoreContext, deps: CompareDeps): Domain<typeof compareMethods, typeof compareTopics> & { repo: CompareRepo } {
  const repo = new CompareRepo(ctx.db);
  /** Spot-checks in progress by id, for cancel and shutdown. */
  const aborts = new Map<string, AbortController>();
  const need = (id: string): Run => {
    const r = deps.runs.get(id);
    if (!r) throw new RpcError('not_found', `No run ${id}.`);
    return r;
  };
  const table = (filter?: Parameters<typeof buildTable>[2]) => buildTable(deps.runs.list(), repo, filter);
  const changed = (runId: string, spotCheck?: SpotCheckSummary) => ctx.bus.emit('compare.changed', { runId, ...(spotCheck ? { spotCheck } : {}) });
  let offRuns: (() => void) | null = null;
  let offMetrics: (() => void) | null = null;

  return {
    repo,
    start() {
      repo.failInterrupted();
      // A predict run that finishes changes its parent's BLEU/ROUGE columns.
      offRuns = deps.runs.onChange((r) => {
        if (r.kind === 'predict' && r.parentRunId && !['starting', 'running', 'stopping'].includes(r.status)) changed(r.parentRunId);
      });
      offMetrics = ctx.bus.on('runs.metrics', (d) => {
        if (!d.reset) return;
        repo.dropSummary(d.runId);
        dropCurves(d.runId);
      });
    },
    stop() {
      offRuns?.();
      offMetrics?.();
      for (const a of aborts.values()) a.abort();
    },
    handlers: {
      'compare.table': ({ filter }) => table(filter),
      'compare.curves': ({ runIds, metric, maxPoints }) => runIds.map((id) => runCurve(repo, need(id), metric, maxPoints ?? 2000)),
      'compare.predict': async ({ runId, evalDataset, maxSamples, gpuIndex }) => {
        const run = need(runId);
        if (run.kind !== 'train') throw new RpcError('invalid', 'Only a training run can be evaluated.');
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
          configYaml = predictConfigYaml(yaml, { evalDataset, trainedDir: run.outputDir, outputDir, ...(maxSamples ? { maxSamples } : {}) });
          gpu = pickGpu(deps.gpus?.snapshot().gpus ?? [], deps.runs.active(), run, gpuIndex);
        } catch (e) {
          throw new RpcError('invalid', (e as Error).message);
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
      'compare.predictions': ({ runId, offset, limit }) => {
        const run = need(runId);
        const p = latestPredictRuns(deps.runs.list()).get(run.id);
        const dir = p?.outputDir ?? run.outputDir;
        let rows: ReturnType<typeof parsePredictions>['rows'] = [];
        try {
          rows = parsePredictions(readFileSync(`${dir}/generated_predictions.jsonl`, 'utf8')).rows;
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
      'compare.spotCheck': ({ runId, path, content, fileName, maxTokens }) => {
        const run = need(runId);
        if (!deps.inference) throw new RpcError('unavailable', 'Chat servers are not available in this build, so a spot-check cannot run.');
        let text = content;
        const file = fileName ?? (path ? basename(path) : 'test file');
        if (text === undefined) {
          if (!path) throw new RpcError('invalid', 'Give the test file (a path or its content).');
          try {
            text = readFileSync(path, 'utf8');
          } catch (e) {
            throw new RpcError('not_found', `Cannot read ${path}: ${(e as NodeJS.ErrnoException).code ?? (e as Error).message}`);
          }
        }
        let cases;
        try {
          cases = parseSpotCheckFile(text, file);
        } catch (e) {
          throw new RpcError('invalid', (e as Error).message);
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
        void runSpotCheck({ id: summary.id, runId: run.id, file, cases, maxTokens: maxTokens ?? 256 }, repo, deps.inference, (s) => changed(run.id, s), abort.signal)
          .catch((e: unknown) => {
            repo.updateSpotCheck(summary.id, 'failed', (e as Error).message);
            changed(run.id);
          })
          .finally(() => aborts.delete(summary.id));
        changed(run.id, summary);
        return summary;
      },
      'compare.cancelSpotCheck': ({ id }) => {
        const s = repo.spotCheck(id);
        if (!s) throw new RpcError('not_found', `No spot-check ${id}.`);
        const abort = aborts.get(id);
        if (!abort || s.status !== 'running') return s;
        abort.abort();
        // Marked at once (the loop marks it the same way when its request notices the abort).
        repo.updateSpotCheck(id, 'failed', 'Stopped.');
        const now = repo.spotCheck(id)!;
        changed(now.runId, now);
        return now;
      },
      'compare.spotCheckDetail': ({ id }) => {
        const s = repo.spotCheck(id);
        if (!s) throw new RpcError('not_found', `No spot-check ${id}.`);
        return { ...s, items: repo.items(id) };
      },
      'compare.exportCsv': ({ filter, runIds, onlyDiffering }) => {
        const t = table(filter);
        const rows = runIds ? t.rows.filter((r) => runIds.includes(r.runId)) : t.rows;
        const keys = onlyDiffering === false ? t.configKeys : t.differingKeys;
        return { csv: tableToCsv(rows, keys), fileName: `trainyard-runs-${stamp()}.csv` };
      },
      'compare.exportHtml': ({ runIds, onlyDiffering, axis, smoothing, logScale }) => {
        const t = table();
        const rows = runIds.map((id) => t.rows.find((r) => r.runId === id)).filter((r) => r !== undefined);
        if (!rows.length) throw new RpcError('not_found', 'None of these runs is a training run.');
        const curves = Object.fromEntries(
          (['loss', 'eval_loss', 'lr'] as CurveMetric[]).map((m) => [m, rows.map((r) => runCurve(repo, need(r.runId), m, 1500))]),
        ) as Record<CurveMetric, ReturnType<typeof runCurve>[]>;
        // Differing keys among the chosen runs only: that is what the reader of the report compares.
        const sub = buildTable(deps.runs.list().filter((r) => runIds.includes(r.id)), repo);
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
    },
    subscriptions: {
      'compare.changed': (_p, send) => ctx.bus.on('compare.changed', send),
    },
  };
}
