/** Progress of a run: bar with percent, and (unless compact) ETA and tokens/s beside it. */
import type { RunProgress, RunStatus } from '../../../shared/types/run.js';
import { useT } from '../../i18n/index.js';
import { formatDuration, formatPercent, formatRate } from './format.js';
import { isActiveStatus } from '../../../shared/domain/runState.js';

interface Props {
  progress: RunProgress | null;
  status: RunStatus;
  /** The list shows the figures under the bar in small type; the run page shows them in its stats. */
  compact?: boolean;
}

export function ProgressBar({ progress, status, compact }: Props): React.JSX.Element {
  const t = useT();
  const pct = progress?.percent ?? (status === 'finished' ? 100 : null);
  const live = isActiveStatus(status);
  // Without a total (max_steps unknown yet) the bar is indeterminate while live rather than a misleading 0%.
  const indeterminate = pct == null && live;
  return (
    <div className={`run-progress ${compact ? 'compact' : ''}`} data-testid="run-progress" data-percent={pct ?? ''}>
      <div
        className={`bar ${indeterminate ? 'indeterminate' : ''} bar-${status}`}
        role="progressbar"
        aria-valuemin={0}
        aria-valuemax={100}
        aria-valuenow={pct ?? undefined}
        aria-label={t('runs.progress')}
      >
        <div className="bar-fill" style={{ width: `${Math.min(100, Math.max(0, pct ?? 0))}%` }} />
      </div>
      <div className="run-progress-figures">
        <span className="mono">{formatPercent(pct)}</span>
        {live && progress?.etaSeconds != null && (
          <span title={t('runs.etaHint')}>{t('runs.eta', { eta: formatDuration(progress.etaSeconds) })}</span>
        )}
        {live && progress?.tokensPerSec != null && <span>{t('runs.tokensPerSec', { rate: formatRate(progress.tokensPerSec) })}</span>}
      </div>
    </div>
  );
}
