/** Inline edit of one config value of a task (tasks.setValue): pick or type a key, type the value, Enter saves. */
import { useState } from 'react';
import type { Task } from '../../../shared/types/task.js';
import { useT } from '../../i18n/index.js';
import { useTasks } from '../../stores/tasks.js';
import { attempt } from './actions.js';
import { isConfigKey, parseScalar } from './boardLogic.js';

interface Props {
  task: Task;
  /** The config's current top-level scalar values. */
  values: Record<string, unknown>;
  onDone(): void;
}

export function InlineValueEdit({ task, values, onDone }: Props): React.JSX.Element {
  const t = useT();
  const keys = Object.keys(values);
  const [key, setKey] = useState(keys.includes('learning_rate') ? 'learning_rate' : (keys[0] ?? ''));
  const [value, setValue] = useState(values[key] === undefined ? '' : String(values[key]));
  const [error, setError] = useState<string | null>(null);
  const listId = `keys-${task.id}`;

  const pick = (k: string) => {
    setKey(k);
    if (k in values) setValue(values[k] === null ? 'null' : String(values[k]));
  };
  const save = async () => {
    if (!isConfigKey(key)) return setError(t('board.edit.badKey'));
    if (value.trim() === '') return setError(t('board.edit.emptyValue'));
    const updated = await attempt('board.err.edit', () => useTasks.getState().setValue(task.id, key.trim(), parseScalar(value)));
    if (updated) {
      useTasks.getState().upsert(updated);
      onDone();
    }
  };

  return (
    <form
      className="inline-edit"
      data-testid="task-inline-edit"
      onSubmit={(e) => {
        e.preventDefault();
        void save();
      }}
      onKeyDown={(e) => e.key === 'Escape' && onDone()}
    >
      <input className="input mono small" list={listId} value={key} aria-label={t('board.edit.key')} placeholder={t('board.edit.key')} data-testid="edit-key" onChange={(e) => pick(e.target.value)} />
      <datalist id={listId}>
        {keys.map((k) => (
          <option key={k} value={k} />
        ))}
      </datalist>
      <span>=</span>
      <input className="input mono small" value={value} aria-label={t('board.edit.value')} placeholder={t('board.edit.value')} data-testid="edit-value" autoFocus onChange={(e) => setValue(e.target.value)} />
      <button type="submit" className="button small primary" data-testid="edit-save">
        {t('common.save')}
      </button>
      <button type="button" className="button small" onClick={onDone}>
        {t('common.cancel')}
      </button>
      {error && <div className="field-error">{error}</div>}
    </form>
  );
}
