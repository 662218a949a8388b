/** One task in the library: name, source, model, method, key hyperparameters, VRAM range, issues; draggable onto lanes. */
import { useState } from 'react';
import { asMessage, type Message } from '../../../shared/messages/message.js';
import type { Task } from '../../../shared/types/task.js';
import { useSay, useT } from '../../i18n/index.js';
import { useGpus } from '../../stores/gpus.js';
import { canEnqueue, gibRange } from './boardLogic.js';
import { HardwareWarnings, useCardCapabilities } from './HardwareWarnings.js';
import { InlineValueEdit } from './InlineValueEdit.js';
import { TooBigFixes } from './TooBigFixes.js';
import { TaskIssues } from './TaskIssues.js';
import { TaskMenu } from './TaskMenu.js';
import { modelLabel, summarize } from './taskSummary.js';
import { endDrag, startDrag } from './useLaneDrop.js';

export function TaskCard({ task }: { task: Task }): React.JSX.Element {
  const t = useT();
  const say = useSay();
  const [editing, setEditing] = useState(false);
  const s = summarize(task.yaml);
  const biggestMiB = useGpus((st) => Math.max(0, ...(st.snapshot?.gpus.map((g) => g.memoryTotalMiB ?? 0) ?? [])));
  const cards = useCardCapabilities();
  const runnable = canEnqueue(task);
  const e = task.estimate;
  const estTitle = e
    ? [
        // An older engine sent English strings only: they show as written.
        ...e.breakdown.map((b) => `${say(asMessage((b.said as Message | undefined) ?? b.label))}: ${(b.mib / 1024).toFixed(1)} GiB`),
        ...(e.params ? [t('board.task.params', { n: (e.params / 1e9).toFixed(2) })] : []),
        ...((e.notesSaid as Message[] | undefined) ?? e.notes).map((n) => say(asMessage(n))),
      ].join('\n')
    : undefined;
  const blockedWhy = !task.ok ? t('board.task.blocked') : task.kind === 'infer' ? t('board.task.inferOnly') : null;

  return (
    <li
      className={`task-card${runnable ? '' : ' is-blocked'}`}
      data-testid="task-card"
      data-task={task.name}
      data-ok={runnable ? 'true' : 'false'}
      // Not aria-disabled: that would disable its menu (editor, clone, remove) too, which a blocked task needs most.
      draggable={runnable}
      onDragStart={(ev) => (runnable ? startDrag(ev, { kind: 'task', taskId: task.id }) : ev.preventDefault())}
      onDragEnd={endDrag}
    >
      <div className="task-head">
        {runnable && (
          <span className="drag-grip" aria-hidden="true" title={t('board.task.dragHint')}>
            ⋮⋮
          </span>
        )}
        <span className="task-name" title={task.name}>
          {task.name}
        </span>
        {task.kind && task.kind !== 'train' && <span className="badge">{t(`board.kind.${task.kind}`)}</span>}
        <TaskMenu task={task} onEdit={() => setEditing(true)} />
      </div>
      {task.sourcePath && (
        <div className="task-source muted mono small" title={task.sourcePath}>
          {task.sourcePath.split(/[\\/]/).pop()}
        </div>
      )}
      <div
        className="task-workdir muted small"
        data-testid="task-workdir"
        data-source={task.workDirSource ?? ''}
        // The folder decides where relative dataset_dir/deepspeed/model paths resolve: say why it is this one.
        title={task.workDirSource ? t(`board.task.workDir.${task.workDirSource}`) : undefined}
      >
        {t('board.task.workDir', { dir: task.workDir })}
      </div>
      <div className="task-meta small">
        {s.model && (
          <span title={s.model}>
            <span className="muted">{t('board.task.model')}</span> {modelLabel(s.model)}
          </span>
        )}
        {(s.stage || s.finetuningType) && <span className="badge">{[s.stage, s.finetuningType].filter(Boolean).join(' · ')}</span>}
        {s.dataset && (
          <span title={s.dataset}>
            <span className="muted">{t('board.task.dataset')}</span> {s.dataset}
          </span>
        )}
      </div>
      {s.params.length > 0 && (
        <div className="task-params mono small">
          {s.params.map(([k, v]) => (
            <span key={k}>
              {k}={v}
            </span>
          ))}
        </div>
      )}
      <div className="task-estimate small" title={estTitle} data-testid="task-estimate">
        <span className="muted">{t('board.task.vram')}</span>{' '}
        {e ? (
          <>
            <b>{gibRange(e.lowMiB, e.highMiB)}</b>
            {e.gpuCount && e.gpuCount > 1 ? ` ${t('board.task.perGpu')}` : ''}
            <span className="muted">
              {' '}
              ·{' '}
              {e.calibration
                ? t('board.task.calibrated', { runs: e.calibration.runs, ratio: e.calibration.meanRatio.toFixed(2) })
                : t('board.task.uncalibrated')}
            </span>
          </>
        ) : (
          <span className="muted">{t('board.task.noEstimate')}</span>
        )}
      </div>
      {runnable && e && biggestMiB > 0 && e.lowMiB > biggestMiB && (
        <div className="task-blocked small" data-testid="task-too-big">
          {t('board.task.tooBig', { card: gibRange(biggestMiB, biggestMiB) })}
          <TooBigFixes task={task} />
        </div>
      )}
      {blockedWhy && (
        <div className="task-blocked small" data-testid="task-blocked">
          {blockedWhy}
        </div>
      )}
      <HardwareWarnings yaml={task.yaml} cards={cards} />
      <TaskIssues issues={task.issues} />
      {editing && <InlineValueEdit task={task} values={s.values} onDone={() => setEditing(false)} />}
    </li>
  );
}
