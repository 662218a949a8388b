/** Evaluation of one run: a spot-check from a test file (answers next to expected ones) and LLaMA-Factory predict. */
import { useEffect, useState } from 'react';
import type { CompareRow, PredictDetail, SpotCheckDetail } from '../../../shared/types/compare.js';
import { api, errorMessage } from '../../api/client.js';
import { useT } from '../../i18n/index.js';
import { localToast } from '../../stores/toasts.js';
import { fmtMs, fmtNum, fmtPct } from './format.js';
import { SpotCheckExamples } from './SpotCheckExamples.js';

export function EvalPanel({ row, onClose }: { row: CompareRow; onClose: () => void }): React.JSX.Element {
  const t = useT();
  const [file, setFile] = useState<File | null>(null);
  const [busy, setBusy] = useState(false);
  const [detail, setDetail] = useState<SpotCheckDetail | null>(null);
  const [dataset, setDataset] = useState('');
  const [maxSamples, setMaxSamples] = useState('');
  const [predict, setPredict] = useState<PredictDetail | null>(null);
  const spot = row.spotCheck;

  // Reload the per-example view whenever the run's newest check moves on (the table refetches on progress).
  useEffect(() => {
    if (!spot) return setDetail(null);
    let live = true;
    api.call('compare.spotCheckDetail', { id: spot.id }).then((d) => live && setDetail(d), () => undefined);
    return () => {
      live = false;
    };
  }, [spot?.id, spot?.done, spot?.status]);
  useEffect(() => {
    let live = true;
    api.call('compare.predictions', { runId: row.runId, limit: 20 }).then((d) => live && setPredict(d), () => undefined);
    return () => {
      live = false;
    };
  }, [row.runId, row.predictRunId]);

  const runSpot = async () => {
    if (!file) return;
    setBusy(true);
    try {
      await api.call('compare.spotCheck', { runId: row.runId, content: await file.text(), fileName: file.name });
    } catch (e) {
      localToast('error', errorMessage(e));
    } finally {
      setBusy(false);
    }
  };
  const cancelSpot = async () => {
    if (!spot) return;
    try {
      await api.call('compare.cancelSpotCheck', { id: spot.id });
    } catch (e) {
      localToast('error', errorMessage(e));
    }
  };
  const runPredict = async () => {
    try {
      const r = await api.call('compare.predict', { runId: row.runId, evalDataset: dataset.trim(), ...(Number(maxSamples) > 0 ? { maxSamples: Number(maxSamples) } : {}) });
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
            <input value={dataset} onChange={(e) => setDataset(e.target.value)} data-testid="predict-dataset" />
          </label>
          <label className="compare-field">
            <span>{t('compare.eval.maxSamples')}</span>
            <input type="number" min={1} value={maxSamples} onChange={(e) => setMaxSamples(e.target.value)} />
          </label>
          <button className="button primary" disabled={!dataset.trim() || row.status !== 'finished'} title={row.status !== 'finished' ? t('compare.eval.notFinished') : undefined} onClick={() => void runPredict()} data-testid="predict-run">
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
