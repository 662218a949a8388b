/** Sweep builder: up to 5 keys, each with comma-separated values; shows how many tasks the grid makes (tasks.sweep). */
import { useState } from 'react';
import type { Task } from '../../../shared/types/task.js';
import { useT } from '../../i18n/index.js';
import { useTasks } from '../../stores/tasks.js';
import { localToast } from '../../stores/toasts.js';
import { attempt, reloadTasks } from './actions.js';
import { gridSize, isConfigKey, parseValueList } from './boardLogic.js';
import { Dialog } from './Dialog.js';
import { summarize } from './taskSummary.js';

const MAX_AXES = 5;
const MAX_VALUES = 50;
/** More tasks than this is almost always a typo; the user can still split the grid into two sweeps. */
const MAX_TASKS = 200;

export function SweepDialog({ task, onClose }: { task: Task; onClose(): void }): React.JSX.Element {
  const t = useT();
  const values = summarize(task.yaml).values;
  const keys = Object.keys(values);
  const [axes, setAxes] = useState([{ key: 'learning_rate' in values ? 'learning_rate' : '', text: '' }]);
  const [busy, setBusy] = useState(false);
  const [submitted, setSubmitted] = useState(false);

  // Check every row as the user types, so the message sits next to the bad row.
  const checked = axes.map((a) => {
    if (!isConfigKey(a.key)) return { error: t('board.sweep.badKey') };
    if (axes.filter((b) => b.key.trim() === a.key.trim()).length > 1) return { error: t('board.sweep.dupKey') };
    const v = parseValueList(a.text);
    if (!v.ok) return { error: t('board.sweep.badValues', { error: t(`board.parse.${v.error}`, { key: '' }) }) };
    if (v.value.length > MAX_VALUES) return { error: t('board.sweep.tooManyValues', { n: MAX_VALUES }) };
    return { values: v.value };
  });
  const valid = checked.every((c) => 'values' in c);
  const count = valid ? gridSize(checked.map((c) => ({ values: c.values! }))) : 0;

  const update = (i: number, patch: Partial<(typeof axes)[number]>) => setAxes(axes.map((a, j) => (j === i ? { ...a, ...patch } : a)));
  const submit = async () => {
    setSubmitted(true);
    if (!valid || count > MAX_TASKS) return;
    setBusy(true);
    const made = await attempt('board.err.sweep', () =>
      useTasks.getState().sweep({ id: task.id, grid: axes.map((a, i) => ({ key: a.key.trim(), values: checked[i]!.values! })) }),
    );
    setBusy(false);
    if (made) {
      reloadTasks();
      localToast('success', t('board.sweep.done', { n: made.length }));
      onClose();
    }
  };

  return (
    <Dialog
      title={t('board.sweep.title', { name: task.name })}
      onClose={onClose}
      testId="sweep-dialog"
      footer={
        <>
          <span className="muted" data-testid="sweep-count">
            {valid ? t('board.sweep.count', { n: count }) : t('board.sweep.incomplete')}
          </span>
          <button type="button" className="button" onClick={onClose}>
            {t('common.cancel')}
          </button>
          <button type="button" className="button primary" disabled={busy || (submitted && (!valid || count > MAX_TASKS))} data-testid="sweep-submit" onClick={() => void submit()}>
            {t('board.sweep.submit', { n: count })}
          </button>
        </>
      }
    >
      <datalist id={`sweep-keys-${task.id}`}>
        {keys.map((k) => (
          <option key={k} value={k} />
        ))}
      </datalist>
      {axes.map((a, i) => (
        <div className="sweep-row" key={i} data-testid="sweep-row">
          <input className="input mono" list={`sweep-keys-${task.id}`} placeholder={t('board.edit.key')} aria-label={t('board.edit.key')} value={a.key} data-testid="sweep-key" onChange={(e) => update(i, { key: e.target.value })} />
          <input className="input mono" placeholder="1e-4, 2e-4, 5e-4" aria-label={t('board.sweep.values')} value={a.text} data-testid="sweep-values" onChange={(e) => update(i, { text: e.target.value })} />
          <button type="button" className="icon-button" aria-label={t('board.sweep.removeAxis')} disabled={axes.length === 1} onClick={() => setAxes(axes.filter((_, j) => j !== i))}>
            ×
          </button>
          {(submitted || a.text) && 'error' in checked[i]! && <div className="field-error">{checked[i]!.error}</div>}
          {values[a.key] !== undefined && <div className="muted small">{t('board.sweep.current', { v: String(values[a.key]) })}</div>}
        </div>
      ))}
      {axes.length < MAX_AXES && (
        <button type="button" className="button small" data-testid="sweep-add-axis" onClick={() => setAxes([...axes, { key: '', text: '' }])}>
          {t('board.sweep.addAxis')}
        </button>
      )}
      {count > MAX_TASKS && <div className="field-error">{t('board.sweep.tooMany', { n: count, max: MAX_TASKS })}</div>}
    </Dialog>
  );
}
