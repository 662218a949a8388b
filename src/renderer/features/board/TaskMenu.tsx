/** A task's menus: "Add to lane…" (each lane, Auto, the multi-selection, GPUs: N) and its actions (edit, clone, sweep, remove). */
import { lazy, Suspense, useState } from 'react';
import type { Task } from '../../../shared/types/task.js';
import { useT } from '../../i18n/index.js';
import { useBoard } from '../../stores/board.js';
import { useGpus } from '../../stores/gpus.js';
import { useSettings } from '../../stores/settings.js';
import { enqueueTask, removeTask } from './actions.js';
import { canEnqueue } from './boardLogic.js';
import { CloneDialog } from './CloneDialog.js';
import { useLaneChoices } from './laneChoices.js';
import { MemoryFixesDialog } from './MemoryFixes.js';
import { Menu, type MenuEntry } from './Menu.js';
import { SweepDialog } from './SweepDialog.js';

// CodeMirror is big: its chunk loads when a config is first opened, never with the board.
const ConfigEditor = lazy(() => import('../editor/ConfigEditor.js').then((m) => ({ default: m.ConfigEditor })));

export function TaskMenu({ task, onEdit }: { task: Task; onEdit(): void }): React.JSX.Element {
  const t = useT();
  const lanes = useLaneChoices();
  const selected = useBoard((s) => s.selected);
  const gpuCount = useGpus((s) => s.snapshot?.gpus.filter((g) => g.vendor !== 'cpu').length ?? 0);
  const [dialog, setDialog] = useState<'clone' | 'sweep' | 'fixes' | 'editor' | null>(null);
  const marginMiB = useSettings((s) => s.settings?.safetyMarginMiB ?? 0);
  const [confirmRemove, setConfirmRemove] = useState(false);

  const add: MenuEntry[] = lanes.map((l) => ({
    key: l.id,
    label: l.label,
    hint: l.paused ? t('board.lane.pausedShort') : undefined,
    testId: l.id === 'auto' ? 'add-to-auto' : l.box ? `add-to-${l.id}` : `add-to-gpu-${l.index ?? 'gone'}`,
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
      {canEnqueue(task) && <Menu label={t('board.task.addTo')} ariaLabel={t('board.task.addToNamed', { name: task.name })} className="button small" testId="task-add" entries={add} />}
      <Menu
        label="⋯"
        title={t('board.task.actions')}
        className="icon-button"
        testId="task-actions"
        entries={[
          { key: 'editor', label: t('editor.open'), testId: 'task-editor', onSelect: () => setDialog('editor') },
          { key: 'edit', label: t('board.task.editValue'), testId: 'task-edit', onSelect: onEdit },
          { key: 'clone', label: t('board.task.clone'), testId: 'task-clone', onSelect: () => setDialog('clone') },
          { key: 'sweep', label: t('board.task.sweep'), testId: 'task-sweep', onSelect: () => setDialog('sweep') },
          ...(task.kind === 'train' ? [{ key: 'fixes', label: t('advice.open'), testId: 'task-fixes', onSelect: () => setDialog('fixes') }] : []),
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
      {dialog === 'editor' && (
        <Suspense fallback={<span className="muted small">{t('editor.loading')}</span>}>
          <ConfigEditor task={task} onClose={() => setDialog(null)} />
        </Suspense>
      )}
      {dialog === 'fixes' && <MemoryFixesDialog task={task} marginMiB={marginMiB} onClose={() => setDialog(null)} />}
    </>
  );
}
