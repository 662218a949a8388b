/** A task's menus: "Add to lane…" (each lane, Auto, the multi-selection, GPUs: N) and its actions (edit, clone, sweep, remove). */
import { useState } from 'react';
import type { Task } from '../../../shared/types/task.js';
import { useT } from '../../i18n/index.js';
import { useBoard } from '../../stores/board.js';
import { useGpus } from '../../stores/gpus.js';
import { enqueueTask, removeTask } from './actions.js';
import { canEnqueue } from './boardLogic.js';
import { CloneDialog } from './CloneDialog.js';
import { useLaneChoices } from './laneChoices.js';
import { Menu, type MenuEntry } from './Menu.js';
import { SweepDialog } from './SweepDialog.js';

export function TaskMenu({ task, onEdit }: { task: Task; onEdit(): void }): React.JSX.Element {
  const t = useT();
  const lanes = useLaneChoices();
  const selected = useBoard((s) => s.selected);
  const gpuCount = useGpus((s) => s.snapshot?.gpus.filter((g) => g.vendor !== 'cpu').length ?? 0);
  const [dialog, setDialog] = useState<'clone' | 'sweep' | null>(null);
  const [confirmRemove, setConfirmRemove] = useState(false);

  const add: MenuEntry[] = lanes.map((l) => ({
    key: l.id,
    label: l.label,
    hint: l.paused ? t('board.lane.pausedShort') : undefined,
    testId: l.id === 'auto' ? 'add-to-auto' : `add-to-gpu-${l.index ?? 'gone'}`,
    onSelect: () => void enqueueTask(task.id, l.id),
  }));
  if (selected.length > 1) {
    const [first, ...rest] = selected;
    add.push({ key: 'sel', label: t('board.add.selection', { n: selected.length }), testId: 'add-to-selection', onSelect: () => void enqueueTask(task.id, `gpu:${first!}`, { gpuUuids: rest }) });
  }
  // "GPUs: N": one run over N cards the scheduler picks (the Auto lane).
  for (let n = 2; n <= gpuCount; n++) {
    add.push({ key: `n${n}`, label: t('board.add.gpus', { n }), testId: `add-gpus-${n}`, onSelect: () => void enqueueTask(task.id, 'auto', { gpuCount: n }) });
  }

  return (
    <>
      {canEnqueue(task) && <Menu label={t('board.task.addTo')} className="button small" testId="task-add" entries={add} />}
      <Menu
        label="⋯"
        title={t('board.task.actions')}
        className="icon-button"
        testId="task-actions"
        entries={[
          { key: 'edit', label: t('board.task.editValue'), testId: 'task-edit', onSelect: onEdit },
          { key: 'clone', label: t('board.task.clone'), testId: 'task-clone', onSelect: () => setDialog('clone') },
          { key: 'sweep', label: t('board.task.sweep'), testId: 'task-sweep', onSelect: () => setDialog('sweep') },
          { key: 'remove', label: t('board.task.remove'), testId: 'task-remove', onSelect: () => setConfirmRemove(true) },
        ]}
      />
      {confirmRemove && (
        <span className="confirm-inline">
          <button type="button" className="button small danger" data-testid="task-remove-confirm" autoFocus onClick={() => void removeTask(task.id).then(() => setConfirmRemove(false))}>
            {t('board.task.removeConfirm')}
          </button>
          <button type="button" className="button small" onClick={() => setConfirmRemove(false)}>
            {t('common.cancel')}
          </button>
        </span>
      )}
      {dialog === 'clone' && <CloneDialog task={task} onClose={() => setDialog(null)} />}
      {dialog === 'sweep' && <SweepDialog task={task} onClose={() => setDialog(null)} />}
    </>
  );
}
