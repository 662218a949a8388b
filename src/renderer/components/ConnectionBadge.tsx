/** The status dot in the header: connected, reconnecting, or why not. */
import { useT } from '../i18n/index.js';
import { useConnection } from '../stores/connection.js';

export function ConnectionBadge(): React.JSX.Element {
  const t = useT();
  const status = useConnection((s) => s.status);
  return (
    <span className={`conn conn-${status}`} data-testid="connection-status" data-status={status} role="status">
      <span className="conn-dot" aria-hidden="true" />
      {t(`conn.${status}`)}
    </span>
  );
}
