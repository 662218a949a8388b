/** The compare view: toolbar, run table, overlaid curves of the selected runs, and the evaluation panel of one run. */
import { useEffect, useState } from 'react';
import { useShallow } from 'zustand/react/shallow';
import { useT } from '../../i18n/index.js';
import { startCompareSync, useCompare } from '../../stores/compare.js';
import './compare.css';
import { CompareToolbar } from './CompareToolbar.js';
import { CurvesPanel } from './CurvesPanel.js';
import { EvalPanel } from './EvalPanel.js';
import { RunTable } from './RunTable.js';

export function CompareView(): React.JSX.Element {
  const t = useT();
  const [evalRun, setEvalRun] = useState<string | null>(null);
  // Selectors, not the whole store: a selection or curve change must not re-render the view and its table.
  const { error, filtered, empty, evalRow } = useCompare(
    useShallow((s) => ({
      error: s.error,
      filtered: Object.keys(s.filter).length > 0,
      empty: !!s.table && !s.table.rows.length,
      evalRow: s.table?.rows.find((r) => r.runId === evalRun) ?? null,
    })),
  );
  useEffect(() => {
    void useCompare.getState().load();
    void useCompare.getState().loadCurves();
    return startCompareSync();
  }, []);
  return (
    <div className="compare-view" data-testid="compare-view">
      <h1 className="page-title">{t('compare.title')}</h1>
      <CompareToolbar />
      {error && <div className="error">{error}</div>}
      {empty ? <div className="empty">{filtered ? t('compare.noMatch') : t('compare.none')}</div> : <RunTable onEvaluate={setEvalRun} />}
      {evalRow && <EvalPanel row={evalRow} onClose={() => setEvalRun(null)} />}
      <CurvesPanel />
    </div>
  );
}
