/** Full-screen explanation when the engine cannot be reached or refuses the page's token. */
import { useT } from '../i18n/index.js';
import { useConnection } from '../stores/connection.js';

export function BlockedScreen(): React.JSX.Element | null {
  const t = useT();
  const { status, since } = useConnection();
  // A short blip after a working connection shows only the header badge; a page that never connected says why.
  if (status !== 'unauthorized' && !(status === 'unreachable' && since === null)) return null;
  const unauthorized = status === 'unauthorized';
  return (
    <div className="blocked" data-testid="blocked-screen" data-kind={status}>
      <div className="blocked-card">
        <h1>{t(unauthorized ? 'conn.unauthorizedTitle' : 'conn.unreachableTitle')}</h1>
        <p>{t(unauthorized ? 'conn.unauthorizedBody' : 'conn.unreachableBody')}</p>
        <p className="muted">{t('conn.retrying')}</p>
      </div>
    </div>
  );
}
