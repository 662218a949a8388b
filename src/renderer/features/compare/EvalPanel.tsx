/** Evaluation of one run: a spot-check from a test file (answers next to expected ones) and LLaMA-Factory predict. */
import { useEffect, useState } from 'react';
import type { CompareRow } from '../../../shared/types/compare.js';
import { errorMessage } from '../../i18n/errorMessage.js';
import { useT } from '../../i18n/index.js';
import { useCompare } from '../../stores/compare.js';
import { localToast } from '../../stores/toasts.js';
import { fmtMs, fmtNum, fmtPct } from './format.js';
import { SpotCheckExamples } from './SpotCheckExamples.js';

/** The option that means "the run's own held-out split" (dataset_info.json names are identifiers: never this). */
const HELD_OUT = '@held-out';

export function EvalPanel({ row, onClose }: { row: CompareRow; onClose: () => void }): React.JSX.Element {
  const t = useT();
  const [file, setFile] = useState<File | null>(null);
  const [busy, setBusy] = useState(false);
  /** A dataset name, or HELD_OUT (the run's val_size split). */
  const [dataset, setDataset] = useState('');
  const [maxSamples, setMaxSamples] = useState('');
  const [maxTokens, setMaxTokens] = useState('256');
  const spot = row.spotCheck;

  const detail = useCompare((s) => (spot ? (s.spotDetails[spot.id] ?? null) : null));
  const choices = useCompare((s) => s.evalDatasets[row.runId] ?? null);
  const predict = useCompare((s) => s.predictions[row.runId] ?? null);

  // Reload the per-example view whenever the run's newest check moves on (the table refetches on progress).
  useEffect(() => {
    if (spot) void useCompare.getState().loadSpotDetail(spot.id);
  }, [spot?.id, spot?.done, spot?.status]);
  useEffect(() => void useCompare.getState().loadEvalDatasets(row.runId), [row.runId]);
  useEffect(() => {
    // The held-out split first when there is one: it is what the run was not trained on.
    if (choices) setDataset((cur) => cur || (choices.valSize ? HELD_OUT : (choices.datasets.find((x) => !x.training)?.name ?? '')));
  }, [choices]);
  useEffect(() => void useCompare.getState().loadPredictions(row.runId), [row.runId, row.predictRunId]);

  const runSpot = async () => {
    if (!file) return;
    setBusy(true);
    try {
      await useCompare.getState().spotCheck(row.runId, { content: await file.text(), fileName: file.name }, Number(maxTokens));
    } catch (e) {
      localToast('error', errorMessage(e));
    } finally {
      setBusy(false);
    }
  };
  const cancelSpot = async () => {
    if (!spot) return;
    try {
      await useCompare.getState().cancelSpotCheck(spot.id);
    } catch (e) {
      localToast('error', errorMessage(e));
    }
  };
  const runPredict = async () => {
    try {
      const r = await useCompare.getState().predict(row.runId, {
        ...(dataset === HELD_OUT ? {} : { evalDataset: dataset }),
        ...(Number(maxSamples) > 0 ? { maxSamples: Number(maxSamples) } : {}),
      });
      localToast('info', t('compare.eval.predictStarted', { name: r.name }));
    } catch (e) {
      localToast('error', errorMessage(e));
    }
  };

  return (
    <section className="panel compare-eval" data-testid="compare-eval">
      <div className="compare-eval-head">
        <h2>{t('compare.eval.title', { name: row.name })}</h2>
        <button className="button" onClick={onClose}>
          {t('compare.eval.close')}
        </button>
      </div>
      <div className="compare-eval-grid">
        <div>
          <h3>{t('compare.eval.spotTitle')}</h3>
          <p className="muted">{t('compare.eval.spotHelp')}</p>
          <label className="compare-field">
            <span>{t('compare.eval.file')}</span>
            <input type="file" accept=".json,.jsonl,application/json" onChange={(e) => setFile(e.target.files?.[0] ?? null)} data-testid="spot-file" />
          </label>
          <label className="compare-field">
            <span>{t('compare.eval.maxTokens')}</span>
            <input type="number" min={1} max={4096} value={maxTokens} onChange={(e) => setMaxTokens(e.target.value)} data-testid="spot-max-tokens" />
          </label>
          <p className="muted small">{t('compare.eval.greedy')}</p>
          <button className="button primary" disabled={!file || busy || spot?.status === 'running'} onClick={() => void runSpot()} data-testid="spot-run">
            {t('compare.eval.runSpot')}
          </button>
          {spot?.status === 'running' && (
            <button className="button" onClick={() => void cancelSpot()} data-testid="spot-cancel">
              {t('compare.eval.cancelSpot')}
            </button>
          )}
          {spot && (
            <p className="mono" data-testid="spot-summary" data-status={spot.status}>
              {spot.status === 'running'
                ? t('compare.eval.progress', { done: spot.done, total: spot.total })
                : t('compare.eval.summary', { exact: fmtPct(spot.exactMatch), contains: fmtPct(spot.contains), rouge: fmtNum(spot.rougeL, 3), latency: fmtMs(spot.meanTotalMs) })}
              {spot.error && <span className="error"> {spot.error}</span>}
            </p>
          )}
        </div>
        <div>
          <h3>{t('compare.eval.predictTitle')}</h3>
          <p className="muted">{t('compare.eval.predictHelp')}</p>
          <label className="compare-field">
            <span>{t('compare.eval.dataset')}</span>
            <select value={dataset} onChange={(e) => setDataset(e.target.value)} data-testid="predict-dataset">
              <option value="">{t('compare.eval.pickDataset')}</option>
              {choices?.valSize && <option value={HELD_OUT}>{t('compare.eval.heldOut', { size: choices.valSize })}</option>}
              {choices?.datasets.map((d) => (
                <option key={d.name} value={d.name}>
                  {d.training ? t('compare.eval.trainingSet', { name: d.name }) : d.name}
                </option>
              ))}
            </select>
          </label>
          {choices?.problem && <p className="muted small">{choices.problem}</p>}
          {choices?.datasets.find((d) => d.name === dataset)?.training && (
            <p className="badge warn" role="status" data-testid="predict-training-warning">
              {t('compare.eval.trainingWarning')}
            </p>
          )}
          <label className="compare-field">
            <span>{t('compare.eval.maxSamples')}</span>
            <input type="number" min={1} value={maxSamples} onChange={(e) => setMaxSamples(e.target.value)} />
          </label>
          <button className="button primary" disabled={!dataset || row.status !== 'finished'} title={row.status !== 'finished' ? t('compare.eval.notFinished') : undefined} onClick={() => void runPredict()} data-testid="predict-run">
            {t('compare.eval.runPredict')}
          </button>
        </div>
      </div>
      {detail && <SpotCheckExamples detail={detail} />}
      {predict && predict.totalPredictions > 0 && (
        <details className="compare-predictions">
          <summary>{t('compare.eval.predictions', { n: predict.totalPredictions })}</summary>
          <table className="table">
            <thead>
              <tr>
                <th>{t('compare.eval.prompt')}</th>
                <th>{t('compare.eval.label')}</th>
                <th>{t('compare.eval.predict')}</th>
              </tr>
            </thead>
            <tbody>
              {predict.predictions.map((p, i) => (
                <tr key={i}>
                  <td className="pre">{p.prompt ?? '—'}</td>
                  <td className="pre">{p.label}</td>
                  <td className="pre">{p.predict}</td>
                </tr>
              ))}
            </tbody>
          </table>
        </details>
      )}
    </section>
  );
}
