/** The chat page: runs to chat with on the left; chat, side by side, prompt sets and servers as tabs. */
import { useEffect, useState } from 'react';
import { useT, type MessageKey } from '../../i18n/index.js';
import { refreshChat, useChat } from '../../stores/chat.js';
import { useUi } from '../../stores/ui.js';
import type { ChatTarget } from '../../../shared/types/chat.js';
import { ChatPanel } from './ChatPanel.js';
import { ComparePanel } from './ComparePanel.js';
import { PromptSetsPanel } from './PromptSetsPanel.js';
import { ServersPanel } from './ServersPanel.js';
import { TargetList } from './TargetList.js';
import './chat.css';

type Tab = 'chat' | 'compare' | 'prompts' | 'servers';
const TABS: Tab[] = ['chat', 'compare', 'prompts', 'servers'];

export function ChatView(): React.JSX.Element {
  const t = useT();
  const [tab, setTab] = useState<Tab>('chat');
  const [picked, setPicked] = useState<ChatTarget[]>([]);
  const error = useChat((s) => s.error);
  const routeRun = useUi((s) => (s.route.view === 'chat' ? s.route.param : null));
  // Subscriptions live in the store (started once for the app); opening the view only refreshes what it lists.
  useEffect(() => refreshChat(), []);
  // #/chat/<runId> or #/chat/<runId>@checkpoint-<n> (the run page's "Chat" menu) opens that model directly.
  useEffect(() => {
    if (!routeRun) return;
    const [runId, checkpoint = null] = routeRun.split('@') as [string, string?];
    const now = useChat.getState().target;
    if (now?.runId !== runId || now.checkpoint !== checkpoint) void useChat.getState().openTarget({ runId, checkpoint });
  }, [routeRun]);

  return (
    <div data-testid="chat-view" className="chat-page">
      <h1 className="page-title">{t('chat.title')}</h1>
      <div className="chat-layout">
        <TargetList
          picked={picked}
          onPick={setPicked}
          onOpen={(target) => {
            setTab('chat');
            void useChat.getState().openTarget(target);
          }}
        />
        <section className="chat-main panel">
          <div className="chat-tabs" role="tablist">
            {TABS.map((k) => (
              <button key={k} role="tab" aria-selected={tab === k} className={`chat-tab ${tab === k ? 'active' : ''}`} onClick={() => setTab(k)} data-testid={`chat-tab-${k}`}>
                {t(`chat.tab.${k}` as MessageKey)}
              </button>
            ))}
          </div>
          {error && (
            <div className="chat-error" role="alert" data-testid="chat-error">
              {error}
              <button className="button" onClick={() => useChat.getState().setError(null)}>
                ×
              </button>
            </div>
          )}
          {tab === 'chat' && <ChatPanel />}
          {tab === 'compare' && <ComparePanel picked={picked} />}
          {tab === 'prompts' && <PromptSetsPanel />}
          {tab === 'servers' && <ServersPanel />}
        </section>
      </div>
    </div>
  );
}
