/** Finished runs with their checkpoints: open one in the chat, or tick several for side by side. */
import { useEffect, useState } from 'react';
import type { ChatTarget } from '../../../shared/types/chat.js';
import type { Run } from '../../../shared/types/run.js';
import { useT } from '../../i18n/index.js';
import { sameTarget, useChat } from '../../stores/chat.js';

const NO_CHECKPOINTS: string[] = [];

function RunRow({ run, picked, onPick, onOpen }: { run: Run; picked: ChatTarget[]; onPick(t: ChatTarget[]): void; onOpen(t: ChatTarget): void }) {
  const t = useT();
  const checkpoints = useChat((s) => s.checkpoints[run.id] ?? NO_CHECKPOINTS);
  const [ckpt, setCkpt] = useState<string>('');
  const current = useChat((s) => s.target);
  useEffect(() => {
    void useChat.getState().loadCheckpoints(run.id);
  }, [run.id, run.status]);
  const target: ChatTarget = { runId: run.id, checkpoint: ckpt || null };
  const isPicked = picked.some((p) => sameTarget(p, target));
  return (
    <li className={`chat-run ${sameTarget(current, target) ? 'active' : ''}`} data-testid="chat-run" data-run-name={run.name}>
      <div className="chat-run-name" title={run.name}>
        {run.name}
        <span className={`badge ${run.status}`}>{t(`runs.status.${run.status}`)}</span>
      </div>
      <div className="chat-run-actions">
        <select value={ckpt} onChange={(e) => setCkpt(e.target.value)} aria-label={t('chat.checkpointLabel')} data-testid="chat-run-checkpoint">
          <option value="">{t('chat.final')}</option>
          {checkpoints.map((c) => (
            <option key={c} value={c}>
              {c}
            </option>
          ))}
        </select>
        <button className="button primary" onClick={() => onOpen(target)} data-testid="chat-run-open">
          {t('chat.open')}
        </button>
        <label className="chat-run-pick">
          <input
            type="checkbox"
            checked={isPicked}
            data-testid="chat-run-pick"
            onChange={(e) => onPick(e.target.checked ? [...picked, target].slice(-4) : picked.filter((p) => !sameTarget(p, target)))}
          />
          {t('chat.pickForCompare')}
        </label>
      </div>
    </li>
  );
}

export function TargetList(props: { picked: ChatTarget[]; onPick(t: ChatTarget[]): void; onOpen(t: ChatTarget): void }): React.JSX.Element {
  const t = useT();
  const runs = useChat((s) => s.runs);
  return (
    <aside className="chat-targets panel">
      <h2 className="chat-h2">{t('chat.runs')}</h2>
      {runs.length === 0 ? (
        <div className="empty">{t('chat.noRuns')}</div>
      ) : (
        <ul className="chat-run-list">
          {runs.map((r) => (
            <RunRow key={r.id} run={r} {...props} />
          ))}
        </ul>
      )}
    </aside>
  );
}
