/** One message: Markdown answer (streaming, stopped, failed with restart), copy, latency figures. */
import { useState } from 'react';
import type { AnswerStats, ChatMessage } from '../../../shared/types/chat.js';
import { type Translate, useT } from '../../i18n/index.js';
import { Markdown } from './Markdown.js';

const ms = (v: number | null) => (v === null ? '–' : v < 1000 ? `${Math.round(v)} ms` : `${(v / 1000).toFixed(2)} s`);

export function statsLine(t: Translate, s: AnswerStats): string {
  return t('chat.stats', { ttft: ms(s.ttftMs), tps: s.tokensPerSec === null ? '–' : s.tokensPerSec.toFixed(1), total: ms(s.totalMs), tokens: s.completionTokens });
}

export function MessageItem({ m, actions }: { m: ChatMessage; actions?: React.ReactNode }): React.JSX.Element {
  const t = useT();
  const [copied, setCopied] = useState(false);
  const copy = () =>
    void navigator.clipboard?.writeText(m.content).then(() => {
      setCopied(true);
      setTimeout(() => setCopied(false), 1200);
    });
  return (
    <div className={`chat-msg ${m.role} ${m.status}`} data-testid={`chat-msg-${m.role}`} data-status={m.status} data-message-id={m.id}>
      <div className="chat-msg-head">
        <span className="chat-msg-who">{m.role === 'user' ? t('chat.you') : t('chat.model')}</span>
        {m.status === 'streaming' && <span className="muted">{t('chat.streaming')}</span>}
        {m.status === 'stopped' && <span className="badge">{t('chat.stopped')}</span>}
        <span className="chat-msg-tools">
          {m.content && (
            <button className="button" onClick={copy} type="button">
              {copied ? t('chat.copied') : t('chat.copy')}
            </button>
          )}
          {actions}
        </span>
      </div>
      <div className="chat-msg-body" data-testid="chat-msg-body">
        {m.role === 'user' ? <div className="chat-user-text">{m.content}</div> : <Markdown text={m.content} />}
      </div>
      {m.error && (
        <div className="chat-msg-error" role="alert" data-testid="chat-msg-error">
          {m.error}
        </div>
      )}
      {m.stats && m.role === 'assistant' && (
        <div className="chat-msg-stats muted mono" data-testid="chat-msg-stats">
          {statsLine(t, m.stats)}
        </div>
      )}
    </div>
  );
}
