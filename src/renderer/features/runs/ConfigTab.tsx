/** The exact YAML the run was started with (Trainyard's copy, not the task as edited since), with its path and a copy button. */
import { useEffect, useState } from 'react';
import { errorMessage } from '../../i18n/errorMessage.js';
import { useT } from '../../i18n/index.js';
import { useRunDetail } from '../../stores/runDetail.js';
import { copyText } from './clipboard.js';

export function ConfigTab({ runId }: { runId: string }): React.JSX.Element {
  const t = useT();
  const config = useRunDetail((s) => s.config[runId]?.value ?? null);
  const error = useRunDetail((s) => s.config[runId]?.error ?? null);
  const [copied, setCopied] = useState<string | null>(null);

  useEffect(() => void useRunDetail.getState().loadConfig(runId), [runId]);

  if (error) return <div className="empty" role="alert">{t('runs.config.error', { error })}</div>;
  if (!config) return <p className="muted">{t('common.loading')}</p>;
  return (
    <section className="panel config-tab" data-testid="run-config">
      <div className="tab-toolbar">
        <code className="mono muted path" title={t('runs.config.pathHint')}>{config.path}</code>
        <span className="spacer" />
        {copied && <span className="muted" role="status">{copied}</span>}
        <button
          className="button"
          data-testid="run-config-copy"
          onClick={() =>
            copyText(config.yaml).then(
              () => setCopied(t('common.copied')),
              (e) => setCopied(t('runs.copyFailed', { error: errorMessage(e) })),
            )
          }
        >
          {t('common.copy')}
        </button>
      </div>
      <pre className="mono config-yaml" data-testid="run-config-yaml">{config.yaml}</pre>
    </section>
  );
}
