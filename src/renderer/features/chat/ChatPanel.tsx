/** The open chat: server status, conversations of the run, streaming messages, the composer with stop and regenerate. */
import { useEffect, useRef, useState } from 'react';
import { useT } from '../../i18n/index.js';
import { serverFor, useChat } from '../../stores/chat.js';
import { GenSettings } from './GenSettings.js';
import { MessageItem } from './MessageItem.js';
import { ServerBar } from './ServerBar.js';

export function ChatPanel(): React.JSX.Element {
  const t = useT();
  const target = useChat((s) => s.target);
  const server = useChat((s) => serverFor(s.servers, s.target));
  const conversations = useChat((s) => s.conversations);
  const convId = useChat((s) => s.conversationId);
  const messages = useChat((s) => (s.conversationId ? s.messages[s.conversationId] : undefined)) ?? [];
  const runName = useChat((s) => s.runs.find((r) => r.id === s.target?.runId)?.name);
  const [draft, setDraft] = useState('');
  const end = useRef<HTMLDivElement>(null);
  const last = messages.at(-1);
  const streaming = last?.role === 'assistant' && last.status === 'streaming' ? last : null;
  useEffect(() => {
    end.current?.scrollIntoView?.({ block: 'end' });
  }, [messages.length, last?.content.length]);

  if (!target) return <div className="empty">{t('chat.none')}</div>;
  const conv = conversations.find((c) => c.id === convId);
  const send = () => {
    const text = draft.trim();
    if (!text || streaming) return;
    setDraft('');
    void useChat.getState().send(text);
  };
  return (
    <div className="chat-panel">
      <div className="chat-panel-head">
        <strong>
          {runName ?? target.runId}
          {target.checkpoint ? ` @ ${target.checkpoint}` : ''}
        </strong>
        <select value={convId ?? ''} onChange={(e) => void useChat.getState().selectConversation(e.target.value)} aria-label={t('chat.conversationLabel')}>
          {conversations.map((c) => (
            <option key={c.id} value={c.id}>
              {c.title}
            </option>
          ))}
        </select>
        <button className="button" onClick={() => void useChat.getState().newConversation()} data-testid="chat-new">
          {t('chat.newChat')}
        </button>
        <button className="button" onClick={() => void useChat.getState().closeTarget()} data-testid="chat-close">
          {t('chat.close')}
        </button>
      </div>
      <ServerBar server={server} />
      {conv && <GenSettings conv={conv} />}
      <div className="chat-messages" data-testid="chat-messages">
        {messages.map((m, i) => (
          <MessageItem
            key={m.id}
            m={m}
            actions={
              m.role === 'assistant' && i === messages.length - 1 ? (
                m.status === 'streaming' ? (
                  <button className="button" onClick={() => void useChat.getState().stop(m.id)} data-testid="chat-stop">
                    {t('chat.stop')}
                  </button>
                ) : (
                  <button className="button" onClick={() => void useChat.getState().regenerate()} data-testid="chat-regenerate">
                    {t('chat.regenerate')}
                  </button>
                )
              ) : null
            }
          />
        ))}
        {streaming && server && server.status !== 'ready' && <div className="muted">{t('chat.waitingServer')}</div>}
        <div ref={end} />
      </div>
      <div className="chat-composer">
        <textarea
          value={draft}
          onChange={(e) => setDraft(e.target.value)}
          placeholder={t('chat.placeholder')}
          rows={3}
          data-testid="chat-input"
          onKeyDown={(e) => {
            if (e.key === 'Enter' && !e.shiftKey && !e.nativeEvent.isComposing) {
              e.preventDefault();
              send();
            }
          }}
        />
        {streaming ? (
          <button className="button" onClick={() => void useChat.getState().stop(streaming.id)}>
            {t('chat.stop')}
          </button>
        ) : (
          <button className="button primary" onClick={send} disabled={!draft.trim()} data-testid="chat-send">
            {t('chat.send')}
          </button>
        )}
      </div>
    </div>
  );
}
