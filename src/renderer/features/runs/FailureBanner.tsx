/** Why a run failed, in the user's terms, with the two ways forward: retry from scratch or resume from the last checkpoint. */
import { useState } from 'react';
import type { Run } from '../../../shared/types/run.js';
import { errorMessage } from '../../api/client.js';
import { useT } from '../../i18n/index.js';
import { useRuns } from '../../stores/runs.js';
import { localToast } from '../../stores/toasts.js';
import { useUi } from '../../stores/ui.js';

export function FailureBanner({ run }: { run: Run }): React.JSX.Element | null {
  const t = useT();
  const { retry, restart } = useRuns();
  const navigate = useUi((s) => s.navigate);
  const [busy, setBusy] = useState(false);
  const f = run.failure;
  if (!f) return null;

  const act = async (what: () => Promise<void>, errKey: 'runs.err.retry' | 'runs.err.resume') => {
    setBusy(true);
    try {
      await what();
    } catch (e) {
      localToast('error', t(errKey), errorMessage(e));
    } finally {
      setBusy(false);
    }
  };
  return (
    <section className="failure-banner" role="alert" data-testid="run-failure" data-kind={f.kind}>
      <div className="failure-head">
        <strong>{t(`runs.failure.kind.${f.kind}`)}</strong>
        <span className="badge err mono">{f.kind}</span>
      </div>
      <pre className="failure-message mono" data-testid="run-failure-message">{f.message}</pre>
      {f.suggestion && (
        <p className="failure-suggestion" data-testid="run-failure-suggestion">
          <strong>{t('runs.failure.suggestion')}</strong> {f.suggestion}
        </p>
      )}
      <div className="failure-actions">
        {run.taskId && (
          <button
            className="button primary"
            disabled={busy}
            data-testid="run-retry"
            title={t('runs.retryHint')}
            onClick={() =>
              void act(async () => {
                await retry(run.id);
                localToast('info', t('runs.retried'), run.name);
              }, 'runs.err.retry')
            }
          >
            {t('runs.retry')}
          </button>
        )}
        {run.kind === 'train' && (
          <button
            className="button"
            disabled={busy}
            data-testid="run-failure-resume"
            onClick={() => void act(async () => navigate('runs', (await restart(run.id, true)).id), 'runs.err.resume')}
          >
            {t('runs.resume')}
          </button>
        )}
      </div>
    </section>
  );
}
