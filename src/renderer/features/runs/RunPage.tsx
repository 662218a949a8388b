/** One run's page: header with progress and actions, the failure reason, and tabs (live, config, files, notes). */
import { useEffect, useState } from 'react';
import { errorMessage } from '../../i18n/errorMessage.js';
import { useT, type MessageKey } from '../../i18n/index.js';
import { useRuns } from '../../stores/runs.js';
import { useUi } from '../../stores/ui.js';
import { ConfigTab } from './ConfigTab.js';
import { FailureBanner } from './FailureBanner.js';
import { FilesTab } from './FilesTab.js';
import { NotesTab } from './NotesTab.js';
import { OomFixes } from './OomFixes.js';
import { RunCharts } from './RunCharts.js';
import { RunHeader } from './RunHeader.js';
import { RunTerminal } from './RunTerminal.js';
import { SlurmJobTab } from './SlurmJobTab.js';

type Tab = 'live' | 'config' | 'files' | 'notes' | 'slurm';
const TABS: Tab[] = ['live', 'config', 'files', 'notes'];

export function RunPage({ runId }: { runId: string }): React.JSX.Element {
  const t = useT();
  const run = useRuns((s) => s.runs[runId]);
  const fetchOne = useRuns((s) => s.fetchOne);
  const navigate = useUi((s) => s.navigate);
  const [missing, setMissing] = useState<string | null>(null);
  const [tab, setTab] = useState<Tab>('live');

  // A deep link (or a reload) can arrive before the list: ask for this run directly.
  useEffect(() => {
    if (run) return;
    fetchOne(runId).then(
      () => setMissing(null),
      (e) => setMissing(errorMessage(e)),
    );
  }, [run, runId, fetchOne]);

  const back = (
    <button className="button back-button" data-testid="run-back" onClick={() => navigate('runs')}>
      ← {t('runs.backToList')}
    </button>
  );
  if (!run)
    return (
      <div>
        {back}
        {missing ? (
          <div className="empty" role="alert" data-testid="run-missing">{t('runs.notFound', { id: runId, error: missing })}</div>
        ) : (
          <p className="muted">{t('common.loading')}</p>
        )}
      </div>
    );

  return (
    <div className="run-page" data-testid="run-page" data-run-id={run.id}>
      {back}
      <RunHeader run={run} />
      {run.outputDir && (
        <p className="muted run-output-dir" data-testid="run-output-dir">
          {t('runs.outputDir')} <span className="mono" title={run.outputDir}>{run.outputDir}</span>
        </p>
      )}
      {run.failure && (run.status === 'failed' || run.status === 'lost') && <FailureBanner run={run} />}
      {run.status === 'failed' && run.failure?.kind === 'oom' && <OomFixes run={run} />}
      <div className="tabs" role="tablist">
        {(run.slurm ? [...TABS, 'slurm' as const] : TABS).map((k) => (
          <button
            key={k}
            role="tab"
            aria-selected={tab === k}
            className={`tab ${tab === k ? 'active' : ''}`}
            data-testid={`run-tab-${k}`}
            onClick={() => setTab(k)}
          >
            {t(`runs.tab.${k}` as MessageKey)}
          </button>
        ))}
      </div>
      {tab === 'live' && (
        <div className="run-live">
          <RunTerminal run={run} />
          <RunCharts run={run} />
        </div>
      )}
      {tab === 'config' && <ConfigTab runId={run.id} />}
      {tab === 'files' && <FilesTab run={run} />}
      {tab === 'notes' && <NotesTab run={run} />}
      {tab === 'slurm' && <SlurmJobTab run={run} />}
    </div>
  );
}
