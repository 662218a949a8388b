/** Side by side: one prompt to the ticked runs, answers streaming in parallel columns, blind voting. */
import { useState } from 'react';
import type { ChatTarget, VoteChoice } from '../../../shared/types/chat.js';
import { useT } from '../../i18n/index.js';
import { useChat } from '../../stores/chat.js';
import { MessageItem } from './MessageItem.js';

export function ComparePanel({ picked }: { picked: ChatTarget[] }): React.JSX.Element {
  const t = useT();
  const [prompt, setPrompt] = useState('');
  const [blind, setBlind] = useState(true);
  const comparison = useChat((s) => s.comparison);
  const messages = useChat((s) => s.messages);
  const runs = useChat((s) => s.runs);
  const answers = comparison?.entries.map((e) => messages[e.conversationId]?.find((m) => m.id === e.messageId)) ?? [];
  const allDone = answers.length > 0 && answers.every((m) => m && m.status !== 'streaming');
  const vote = (v: VoteChoice) => void useChat.getState().vote(v);
  const label = (tg: ChatTarget) => `${runs.find((r) => r.id === tg.runId)?.name ?? tg.runId}${tg.checkpoint ? ` @ ${tg.checkpoint}` : ''}`;

  return (
    <div className="chat-compare">
      <p className="muted">{t('chat.compare.pick')}</p>
      <div className="chat-compare-picked" data-testid="compare-picked">
        {t('chat.compare.selected', { n: picked.length })}: {picked.map(label).join(' · ')}
      </div>
      <label className="chat-compare-blind">
        <input type="checkbox" checked={blind} onChange={(e) => setBlind(e.target.checked)} data-testid="compare-blind" />
        {t('chat.compare.blind')}
      </label>
      <div className="chat-composer">
        <textarea value={prompt} onChange={(e) => setPrompt(e.target.value)} placeholder={t('chat.compare.prompt')} rows={2} data-testid="compare-input" />
        <button
          className="button primary"
          disabled={picked.length < 2 || !prompt.trim()}
          onClick={() => void useChat.getState().compare(picked, prompt.trim(), blind)}
          data-testid="compare-run"
        >
          {t('chat.compare.run')}
        </button>
      </div>
      {comparison && (
        <>
          <div className="chat-columns" style={{ gridTemplateColumns: `repeat(${comparison.entries.length}, minmax(0, 1fr))` }}>
            {comparison.entries.map((e, i) => (
              <div className="chat-column" key={e.slot} data-testid="compare-column">
                <div className="chat-column-head">
                  <strong>{e.slot}</strong> {e.runName ?? t('chat.compare.hidden', { slot: e.slot })}
                  {comparison.vote === i && <span className="badge finished">✓</span>}
                </div>
                {answers[i] && <MessageItem m={answers[i]} />}
              </div>
            ))}
          </div>
          {allDone && (
            <div className="chat-vote" data-testid="compare-vote">
              <span>{comparison.vote === null ? t('chat.compare.vote') : t('chat.compare.voted')}</span>
              {comparison.entries.map((e, i) => (
                <button key={e.slot} className={`button ${comparison.vote === i ? 'primary' : ''}`} onClick={() => vote(i)} data-testid={`compare-vote-${e.slot}`}>
                  {t('chat.compare.better', { slot: e.slot })}
                </button>
              ))}
              <button className={`button ${comparison.vote === 'tie' ? 'primary' : ''}`} onClick={() => vote('tie')}>
                {t('chat.compare.tie')}
              </button>
              <button className={`button ${comparison.vote === 'bad' ? 'primary' : ''}`} onClick={() => vote('bad')}>
                {t('chat.compare.bad')}
              </button>
            </div>
          )}
        </>
      )}
    </div>
  );
}
