/** Why a run failed, in the user's terms, with the two ways forward: retry from scratch or resume from the last checkpoint. */
import type { Run } from '../../../shared/types/run.js';
import { useT } from '../../i18n/index.js';
import { useRuns } from '../../stores/runs.js';
import { localToast } from '../../stores/toasts.js';
import { useUi } from '../../stores/ui.js';
import { useBusyAction } from './useBusyAction.js';

export function FailureBanner({ run }: { run: Run }): React.JSX.Element | null {
  const t = useT();
  const { retry, restart } = useRuns();
  const navigate = useUi((s) => s.navigate);
  const { busy, act } = useBusyAction();
  const f = run.failure;
  if (!f) return null;

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
              void act('runs.err.retry', async () => {
                await retry(run.id);
                localToast('info', t('runs.retried'), run.name);
              })
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
            onClick={() => void act('runs.err.resume', async () => navigate('runs', (await restart(run.id, true)).id))}
          >
            {t('runs.resume')}
          </button>
        )}
      </div>
    </section>
  );
}
