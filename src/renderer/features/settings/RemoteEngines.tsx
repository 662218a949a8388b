/** Settings → Remote engines: the boxes this engine federates (state, last answer, why not reachable), add and remove. */
import { useState } from 'react';
import type { RemoteState } from '../../../shared/types/remote.js';
import { errorMessage } from '../../i18n/errorMessage.js';
import { formatClock } from '../../i18n/format.js';
import { useSay, useT } from '../../i18n/index.js';
import { useRemotes } from '../../stores/remotes.js';
import { useSettings } from '../../stores/settings.js';
import { localToast } from '../../stores/toasts.js';

export const stateBadge: Record<RemoteState, string> = { reachable: 'ok', connecting: 'warn', unreachable: 'err', unauthorized: 'err' };

export function RemoteEngines(): React.JSX.Element {
  const t = useT();
  const say = useSay();
  const lang = useSettings((s) => s.settings?.language ?? 'en');
  const { boxes, add, remove, test } = useRemotes();
  const [name, setName] = useState('');
  const [url, setUrl] = useState('');
  const [token, setToken] = useState('');
  const [busy, setBusy] = useState(false);
  const submit = async (e: React.FormEvent) => {
    e.preventDefault();
    setBusy(true);
    try {
      await add({ name: name.trim(), url: url.trim(), token: token.trim() });
      setName('');
      setUrl('');
      setToken('');
    } catch (err) {
      localToast('error', t('remotes.err.add'), errorMessage(err));
    } finally {
      setBusy(false);
    }
  };
  return (
    <div className="panel" data-testid="settings-remotes">
      <p className="muted">{t('remotes.hint')}</p>
      {boxes.length === 0 ? (
        <p className="muted">{t('remotes.none')}</p>
      ) : (
        <ul className="remote-list">
          {boxes.map((b) => (
            <li key={b.id} data-testid={`remote-${b.name}`} data-state={b.state}>
              <strong>{b.name}</strong> <span className="mono small">{b.url}</span>{' '}
              <span className={`badge ${stateBadge[b.state]}`}>{t(`remotes.state.${b.state}`)}</span>{' '}
              <span className="muted small">{b.lastSeen ? t('remotes.lastSeen', { time: formatClock(lang, b.lastSeen, true) }) : t('remotes.neverSeen')}</span>
              <span className="remote-actions">
                <button type="button" className="button small" onClick={() => void test(b.id).catch((e) => localToast('error', t('common.error'), errorMessage(e)))}>
                  {t('remotes.test')}
                </button>
                <button type="button" className="button small" onClick={() => void remove(b.id).catch((e) => localToast('error', t('common.error'), errorMessage(e)))}>
                  {t('remotes.remove')}
                </button>
              </span>
              {b.lastError && b.state !== 'reachable' && <div className="muted small">{say(b.lastError)}</div>}
            </li>
          ))}
        </ul>
      )}
      <form className="form-grid" onSubmit={(e) => void submit(e)}>
        <label htmlFor="remote-name">{t('remotes.name')}</label>
        <input id="remote-name" className="input mono" value={name} placeholder={t('remotes.namePlaceholder')} onChange={(e) => setName(e.target.value)} />
        <label htmlFor="remote-url">{t('remotes.url')}</label>
        <input id="remote-url" className="input mono" value={url} placeholder="http://127.0.0.1:7500" onChange={(e) => setUrl(e.target.value)} />
        <label htmlFor="remote-token">{t('remotes.token')}</label>
        <input id="remote-token" className="input mono" type="password" autoComplete="off" value={token} onChange={(e) => setToken(e.target.value)} />
        <span />
        <div>
          <button type="submit" className="button" data-testid="remote-add" disabled={busy || !name || !url || !token}>
            {t('remotes.add')}
          </button>
        </div>
      </form>
    </div>
  );
}
