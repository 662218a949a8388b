/** "Clone with edits": a new task from this one with a new name and key=value changes (tasks.clone). */
import { useState } from 'react';
import type { Task } from '../../../shared/types/task.js';
import { useT } from '../../i18n/index.js';
import { useTasks } from '../../stores/tasks.js';
import { localToast } from '../../stores/toasts.js';
import { attempt, reloadTasks } from './actions.js';
import { parseEdits } from './boardLogic.js';
import { Dialog } from './Dialog.js';

export function CloneDialog({ task, onClose }: { task: Task; onClose(): void }): React.JSX.Element {
  const t = useT();
  const [name, setName] = useState(`${task.name}-copy`);
  const [edits, setEdits] = useState('');
  const [error, setError] = useState<string | null>(null);
  const [busy, setBusy] = useState(false);

  const submit = async () => {
    if (!name.trim()) return setError(t('board.clone.noName'));
    const parsed = parseEdits(edits);
    if (!parsed.ok) return setError(t('board.clone.badLine', { line: parsed.line ?? 1, error: t(`board.parse.${parsed.error}`, { key: parsed.key ?? '' }) }));
    setBusy(true);
    const made = await attempt('board.err.clone', () => useTasks.getState().clone({ id: task.id, name: name.trim(), set: parsed.value }));
    setBusy(false);
    if (made) {
      reloadTasks();
      localToast('success', t('board.clone.done', { name: made.name }));
      onClose();
    }
  };

  return (
    <Dialog
      title={t('board.clone.title', { name: task.name })}
      onClose={onClose}
      testId="clone-dialog"
      footer={
        <>
          <button type="button" className="button" onClick={onClose}>
            {t('common.cancel')}
          </button>
          <button type="button" className="button primary" disabled={busy} data-testid="clone-submit" onClick={() => void submit()}>
            {t('board.clone.submit')}
          </button>
        </>
      }
    >
      <label className="field">
        {t('board.clone.name')}
        <input className="input" value={name} data-testid="clone-name" onChange={(e) => setName(e.target.value)} />
      </label>
      <label className="field">
        {t('board.clone.edits')}
        <textarea
          className="input mono"
          rows={5}
          value={edits}
          placeholder={'learning_rate=1e-4\nlora_rank=32'}
          data-testid="clone-edits"
          onChange={(e) => {
            setEdits(e.target.value);
            setError(null);
          }}
        />
        <span className="muted small">{t('board.clone.editsHelp')}</span>
      </label>
      {error && (
        <div className="field-error" role="alert" data-testid="clone-error">
          {error}
        </div>
      )}
    </Dialog>
  );
}
