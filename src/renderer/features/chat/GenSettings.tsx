/** Temperature, top_p, max_tokens and the system prompt of the open conversation. */
import { useEffect, useState } from 'react';
import type { Conversation } from '../../../shared/types/chat.js';
import { useT } from '../../i18n/index.js';
import { useChat } from '../../stores/chat.js';

export function GenSettings({ conv }: { conv: Conversation }): React.JSX.Element {
  const t = useT();
  const [system, setSystem] = useState(conv.system);
  const [p, setP] = useState(conv.params);
  useEffect(() => {
    setSystem(conv.system);
    setP(conv.params);
  }, [conv.id, conv.system, conv.params]);
  const num = (v: string, min: number, max: number, int = false) => {
    const n = int ? Math.round(Number(v)) : Number(v);
    return Number.isFinite(n) ? Math.min(max, Math.max(min, n)) : min;
  };
  return (
    <details className="chat-settings">
      <summary>{t('chat.settings')}</summary>
      <label>
        {t('chat.system')}
        <textarea value={system} onChange={(e) => setSystem(e.target.value)} rows={2} maxLength={20_000} />
      </label>
      <div className="chat-settings-row">
        <label>
          {t('chat.temperature')}
          <input type="number" step={0.05} min={0} max={2} value={p.temperature} onChange={(e) => setP({ ...p, temperature: num(e.target.value, 0, 2) })} />
        </label>
        <label>
          {t('chat.topP')}
          <input type="number" step={0.05} min={0.01} max={1} value={p.topP} onChange={(e) => setP({ ...p, topP: num(e.target.value, 0.01, 1) })} />
        </label>
        <label>
          {t('chat.maxTokens')}
          <input type="number" step={32} min={1} max={32768} value={p.maxTokens} onChange={(e) => setP({ ...p, maxTokens: num(e.target.value, 1, 32768, true) })} />
        </label>
        <button className="button" onClick={() => void useChat.getState().updateConversation({ system, params: p })}>
          {t('chat.save')}
        </button>
      </div>
    </details>
  );
}
