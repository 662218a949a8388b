/** A run's status as a coloured badge (with a pulsing dot while it is live). */
import type { RunStatus } from '../../../shared/types/run.js';
import { useT, type MessageKey } from '../../i18n/index.js';
import { isActiveStatus } from '../../../shared/domain/runState.js';
import { statusTone } from './runList.js';

export function StatusBadge({ status }: { status: RunStatus }): React.JSX.Element {
  const t = useT();
  return (
    <span className={`badge run-status ${statusTone(status)}`} data-testid="run-status" data-status={status}>
      {isActiveStatus(status) && <span className="live-dot" aria-hidden="true" />}
      {t(`runs.status.${status}` as MessageKey)}
    </span>
  );
}
