/** The compare view: toolbar, run table, overlaid curves of the selected runs, and the evaluation panel of one run. */
import { useEffect, useState } from 'react';
import { useT } from '../../i18n/index.js';
import { startCompareSync, useCompare } from '../../stores/compare.js';
import './compare.css';
import { CompareToolbar } from './CompareToolbar.js';
import { CurvesPanel } from './CurvesPanel.js';
import { EvalPanel } from './EvalPanel.js';
import { RunTable } from './RunTable.js';

export function CompareView(): React.JSX.Element {
  const t = useT();
  const { table, error, filter } = useCompare();
  const [evalRun, setEvalRun] = useState<string | null>(null);
  useEffect(() => {
    void useCompare.getState().load();
    void useCompare.getState().loadCurves();
    return startCompareSync();
  }, []);
  const evalRow = table?.rows.find((r) => r.runId === evalRun) ?? null;
  const empty = table && !table.rows.length;
  return (
    <div className="compare-view" data-testid="compare-view">
      <h1 className="page-title">{t('compare.title')}</h1>
      <CompareToolbar />
      {error && <div className="error">{error}</div>}
      {empty ? <div className="empty">{Object.keys(filter).length ? t('compare.noMatch') : t('compare.none')}</div> : <RunTable onEvaluate={setEvalRun} />}
      {evalRow && <EvalPanel row={evalRow} onClose={() => setEvalRun(null)} />}
      <CurvesPanel />
    </div>
  );
}
