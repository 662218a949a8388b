/** Golden prompt sets: import {prompt, expected} JSONL, run a set against the open model, see which answers contain the expected phrase. */
import { useRef } from 'react';
import { useT } from '../../i18n/index.js';
import { useChat } from '../../stores/chat.js';
import { statsLine } from './MessageItem.js';

export function PromptSetsPanel(): React.JSX.Element {
  const t = useT();
  const sets = useChat((s) => s.promptSets);
  const target = useChat((s) => s.target);
  const run = useChat((s) => s.promptRun);
  const file = useRef<HTMLInputElement>(null);
  const passed = run?.items.filter((i) => i.pass === true).length ?? 0;
  const judged = run?.items.filter((i) => i.expected !== null).length ?? 0;

  return (
    <div className="chat-prompts">
      <div className="chat-prompts-bar">
        <input
          ref={file}
          type="file"
          accept=".jsonl,.json,.txt"
          hidden
          data-testid="prompts-file"
          onChange={async (e) => {
            const f = e.target.files?.[0];
            e.target.value = '';
            if (f) await useChat.getState().importPromptSet(f.name.replace(/\.[^.]+$/, ''), await f.text());
          }}
        />
        <button className="button" onClick={() => file.current?.click()}>
          {t('chat.prompts.import')}
        </button>
        {!target && <span className="muted">{t('chat.prompts.needTarget')}</span>}
      </div>
      {sets.length === 0 ? (
        <div className="empty">{t('chat.prompts.none')}</div>
      ) : (
        <table className="table">
          <tbody>
            {sets.map((s) => (
              <tr key={s.id} data-testid="prompt-set">
                <td>{s.name}</td>
                <td className="muted">{t('chat.prompts.count', { n: s.prompts.length })}</td>
                <td>
                  <button className="button primary" disabled={!target} onClick={() => void useChat.getState().runPromptSet(s.id)} data-testid="prompt-set-run">
                    {t('chat.prompts.run')}
                  </button>
                </td>
              </tr>
            ))}
          </tbody>
        </table>
      )}
      {run && (
        <div className="chat-prompt-run" data-testid="prompt-run" data-status={run.status}>
          <strong>{t('chat.prompts.passed', { pass: passed, total: judged })}</strong>
          {run.error && <div className="chat-msg-error">{run.error}</div>}
          <table className="table">
            <thead>
              <tr>
                <th>#</th>
                <th>{t('chat.prompts.expected')}</th>
                <th>{t('chat.prompts.answer')}</th>
              </tr>
            </thead>
            <tbody>
              {run.items.map((i, n) => (
                <PromptRow key={i.messageId} n={n} item={i} runId={run.id} />
              ))}
            </tbody>
          </table>
        </div>
      )}
    </div>
  );
}

function PromptRow({ n, item, runId }: { n: number; item: NonNullable<ReturnType<typeof useChat.getState>['promptRun']>['items'][number]; runId: string }) {
  const t = useT();
  // While it streams, the text comes from chat.delta (kept under the prompt run's id); the stored answer once done.
  const live = useChat((s) => s.messages[runId]?.find((m) => m.id === item.messageId)?.content);
  return (
    <tr className={item.pass === false ? 'fail' : item.pass ? 'pass' : ''}>
      <td className="muted">{n + 1}</td>
      <td>
        <div>{item.prompt}</div>
        {item.expected && <div className="muted">→ {item.expected}</div>}
      </td>
      <td>
        <div>{item.answer || live || (item.status === 'queued' ? '…' : '')}</div>
        {item.pass !== null && <span className={`badge ${item.pass ? 'finished' : 'failed'}`}>{item.pass ? '✓' : '✗'}</span>}
        {item.stats && <div className="muted mono">{statsLine(t, item.stats)}</div>}
      </td>
    </tr>
  );
}
