/** Full-screen explanation when the engine cannot be reached or refuses the page's token; a refused page can take a pasted URL or token. */
import { useState } from 'react';
import { useT } from '../i18n/index.js';
import { applyAccessToken } from '../stores/access.js';
import { useConnection } from '../stores/connection.js';

function TokenForm(): React.JSX.Element {
  const t = useT();
  const [value, setValue] = useState('');
  const [invalid, setInvalid] = useState(false);
  return (
    <form
      className="blocked-token"
      onSubmit={(e) => {
        e.preventDefault();
        setInvalid(!applyAccessToken(value));
      }}
    >
      <label htmlFor="blocked-token-input">{t('conn.tokenLabel')}</label>
      <div className="blocked-token-row">
        <input
          id="blocked-token-input"
          data-testid="blocked-token-input"
          type="password"
          autoComplete="off"
          spellCheck={false}
          value={value}
          aria-invalid={invalid}
          aria-describedby={invalid ? 'blocked-token-error' : undefined}
          onChange={(e) => setValue(e.target.value)}
        />
        <button className="button primary" type="submit" data-testid="blocked-token-submit" disabled={!value.trim()}>
          {t('conn.tokenSubmit')}
        </button>
      </div>
      {invalid && (
        <p id="blocked-token-error" className="error" role="alert">
          {t('conn.tokenInvalid')}
        </p>
      )}
    </form>
  );
}

export function BlockedScreen(): React.JSX.Element | null {
  const t = useT();
  const { status, since, failure } = useConnection();
  // A short blip after a working connection shows only the header badge; a page that never connected says why, and
  // keeps saying it through the retries (so a half-typed token is not wiped by one).
  const kind = status === 'unauthorized' ? 'unauthorized' : since === null ? failure : null;
  if (!kind) return null;
  const unauthorized = kind === 'unauthorized';
  return (
    <div className="blocked" data-testid="blocked-screen" data-kind={kind}>
      <div className="blocked-card">
        <h1>{t(unauthorized ? 'conn.unauthorizedTitle' : 'conn.unreachableTitle')}</h1>
        <p>{t(unauthorized ? 'conn.unauthorizedBody' : 'conn.unreachableBody')}</p>
        {unauthorized && <TokenForm />}
        {!unauthorized && <p className="muted">{t('conn.retrying')}</p>}
      </div>
    </div>
  );
}
