/** Running inference servers as APIs for other programs: URL, key, model id, a copyable curl example, deploy and stop. */
import type { ChatServer } from '../../../shared/types/chat.js';
import { useT } from '../../i18n/index.js';
import { useChat } from '../../stores/chat.js';

/** POSIX single quotes: the example is pasted into a shell, so nothing inside may be interpreted. */
const sq = (s: string) => `'${s.replace(/'/g, `'\\''`)}'`;

export function curlExample(s: ChatServer): string {
  const body = JSON.stringify({ model: s.model, messages: [{ role: 'user', content: 'Hello!' }], stream: false });
  return `curl ${sq(`${s.baseURL}/chat/completions`)} \\\n  -H ${sq(`Authorization: Bearer ${s.apiKey}`)} \\\n  -H 'Content-Type: application/json' \\\n  -d ${sq(body)}`;
}

function Copy({ text }: { text: string }) {
  const t = useT();
  return (
    <button className="button" onClick={() => void navigator.clipboard?.writeText(text)}>
      {t('chat.copy')}
    </button>
  );
}

export function ServersPanel(): React.JSX.Element {
  const t = useT();
  const servers = Object.values(useChat((s) => s.servers)).sort((a, b) => a.startedAt - b.startedAt);
  if (!servers.length) return <div className="empty">{t('chat.servers.none')}</div>;
  return (
    <div className="chat-servers">
      {servers.map((s) => (
        <div key={s.id} className="chat-server-card" data-testid="server-card" data-status={s.status}>
          <div className="chat-server-line">
            <strong>
              {s.runName}
              {s.checkpoint ? ` @ ${s.checkpoint}` : ''}
            </strong>
            <span className={`badge ${s.status}`}>{t(`chat.serverStatus.${s.status}`)}</span>
            <span className="muted">
              {t('chat.servers.gpu')}: {s.gpuIndices.length ? `GPU ${s.gpuIndices.join(',')}` : t('chat.servers.cpu')}
            </span>
          </div>
          <dl className="chat-server-facts">
            <dt>{t('chat.servers.url')}</dt>
            <dd className="mono">
              {s.baseURL} <Copy text={s.baseURL} />
            </dd>
            <dt>{t('chat.servers.key')}</dt>
            <dd className="mono">
              {s.apiKey} <Copy text={s.apiKey} />
            </dd>
            <dt>{t('chat.servers.model')}</dt>
            <dd className="mono">{s.model}</dd>
            <dt>{t('chat.servers.curl')}</dt>
            <dd>
              <pre className="mono chat-curl">{curlExample(s)}</pre>
              <Copy text={curlExample(s)} />
            </dd>
          </dl>
          <div className="chat-server-line">
            <label>
              <input
                type="checkbox"
                checked={s.deployed}
                onChange={(e) => void useChat.getState().deploy(s.id, e.target.checked)}
              />
              {s.deployed ? t('chat.servers.deployed') : t('chat.servers.deploy')}
            </label>
            <button className="button" onClick={() => void useChat.getState().stopServer(s.id)} data-testid="server-stop">
              {t('chat.servers.stop')}
            </button>
          </div>
        </div>
      ))}
    </div>
  );
}
