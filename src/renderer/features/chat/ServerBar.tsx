/** Where the open chat's inference server is: starting, loading (its last log line), ready at a URL, or failed with the log tail. */
import type { ChatServer } from '../../../shared/types/chat.js';
import { useT } from '../../i18n/index.js';
import { useChat } from '../../stores/chat.js';

export function ServerBar({ server }: { server: ChatServer | null }): React.JSX.Element {
  const t = useT();
  if (!server) return <div className="chat-server muted" data-testid="chat-server-status" data-status="none">{t('chat.server.none')}</div>;
  const device = server.gpuIndices.length ? `GPU ${server.gpuIndices.join(',')}` : t('chat.servers.cpu');
  return (
    <div className={`chat-server ${server.status}`} data-testid="chat-server-status" data-status={server.status}>
      <div className="chat-server-line">
        <span className={`chat-dot ${server.status}`} aria-hidden="true" />
        <strong>
          {server.status === 'ready'
            ? t('chat.server.ready', { url: server.baseURL })
            : server.status === 'failed'
              ? t('chat.server.failed')
              : server.status === 'loading'
                ? t('chat.server.loading')
                : t('chat.server.starting')}
        </strong>
        <span className="muted">· {device}</span>
        {server.status === 'failed' && (
          <button className="button primary" onClick={() => void useChat.getState().restartServer()} data-testid="chat-server-restart">
            {t('chat.server.restart')}
          </button>
        )}
      </div>
      {server.status !== 'ready' && server.progress && <div className="chat-server-progress mono" data-testid="chat-server-progress">{server.progress}</div>}
      {server.failure && (
        <details open className="chat-server-failure">
          <summary>{server.failure.message}</summary>
          <div className="muted">{t('chat.server.log')}</div>
          <pre className="mono" data-testid="chat-server-log">{server.failure.logTail}</pre>
        </details>
      )}
    </div>
  );
}
