/** Why a run failed, in the user's terms, with the two ways forward: retry from scratch or resume from the last checkpoint. */
import type { Run } from '../../../shared/types/run.js';
import { msg } from '../../../shared/messages/message.js';
import { useSay, useT } from '../../i18n/index.js';
import { useCheckpoints, useRuns } from '../../stores/runs.js';
import { localToast } from '../../stores/toasts.js';
import { useUi } from '../../stores/ui.js';
import { useBusyAction } from './useBusyAction.js';

export function FailureBanner({ run }: { run: Run }): React.JSX.Element | null {
  const t = useT();
  const say = useSay();
  const { retry, restart } = useRuns();
  const navigate = useUi((s) => s.navigate);
  const { busy, act } = useBusyAction();
  const latest = useCheckpoints(run)?.at(-1) ?? null;
  const f = run.failure;
  if (!f) return null;

  return (
    <section className="failure-banner" role="alert" data-testid="run-failure" data-kind={f.kind}>
      <div className="failure-head">
        <strong>{say(msg(`failure.kind.${f.kind}`))}</strong>
        <span className="badge err mono">{f.kind}</span>
      </div>
      <pre className="failure-message mono" data-testid="run-failure-message">{say(f.message)}</pre>
      {f.note && <p className="failure-note" data-testid="run-failure-note">{say(f.note)}</p>}
      {f.suggestion.text && (
        <p className="failure-suggestion" data-testid="run-failure-suggestion">
          <strong>{t('runs.failure.suggestion')}</strong> {say(f.suggestion)}
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
        {run.kind === 'train' && latest && (
          <button
            className="button"
            disabled={busy}
            data-testid="run-failure-resume"
            title={t('runs.resumeHint', { checkpoint: latest })}
            onClick={() => void act('runs.err.resume', async () => navigate('runs', (await restart(run.id, true)).id))}
          >
            {t('runs.resumeFrom', { checkpoint: latest })}
          </button>
        )}
        {run.kind === 'train' && !latest && <span className="muted" data-testid="run-no-checkpoint">{t('runs.noCheckpoint')}</span>}
      </div>
    </section>
  );
}
