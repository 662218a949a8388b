/** One-click memory fixes: each variant's estimate against the card, and a button that makes it a new task (tasks.clone). */
import { useEffect, useState } from 'react';
import type { MemoryFixAdvice, MemoryFixOption, Task } from '../../../shared/types/task.js';
import { useT, type MessageKey, type Translate } from '../../i18n/index.js';
import { fixesKey, useTasks } from '../../stores/tasks.js';
import { localToast } from '../../stores/toasts.js';
import { attempt, reloadTasks } from './actions.js';
import { gib, gibRange } from './boardLogic.js';
import { Dialog } from './Dialog.js';

/** The fixes of an option in words ("QLoRA: 4-bit base weights"); the combination reads as "every fix at once". */
export function fixLabel(t: Translate, o: MemoryFixOption, gpuCount: number): string {
  if (o.fixes.length > 1) return t('advice.fix.all');
  return t(`advice.fix.${o.fixes[0]!}` as MessageKey, { n: gpuCount });
}

/** The advice for a task (and the run that ran out of memory), asked again when the task changes. */
export function useMemoryFixes(task: Task, runId?: string): { advice: MemoryFixAdvice | null; error: string | null } {
  const key = fixesKey(task.id, runId);
  const advice = useTasks((s) => s.memoryFixes[key]?.advice ?? null);
  const error = useTasks((s) => s.memoryFixes[key]?.error ?? null);
  useEffect(() => void useTasks.getState().loadMemoryFixes(task.id, runId), [task.id, task.updatedAt, runId]);
  return { advice, error };
}

const setText = (set: Record<string, unknown>) => Object.entries(set).map(([k, v]) => `${k}: ${typeof v === 'string' ? v.split('/').pop() : String(v)}`);

function OptionRow({ task, o, gpuCount }: { task: Task; o: MemoryFixOption; gpuCount: number }): React.JSX.Element {
  const t = useT();
  const [busy, setBusy] = useState(false);
  const create = async () => {
    if (busy) return;
    setBusy(true);
    const made = await attempt('board.err.clone', () => useTasks.getState().clone({ id: task.id, name: `${task.name}-${o.suffix}`, set: o.set }));
    setBusy(false);
    if (made) {
      reloadTasks();
      localToast('success', t('advice.created', { name: made.name }));
    }
  };
  const verdict = o.fits === null ? 'unknown' : o.fits ? 'yes' : 'no';
  return (
    <li className="fix-row" data-testid="fix-option" data-fix={o.fixes.join('+')} data-fits={verdict}>
      <div className="fix-main">
        <b>{fixLabel(t, o, gpuCount)}</b>
        <span className="mono muted small" title={Object.entries(o.set).map(([k, v]) => `${k}: ${String(v)}`).join('\n')}>
          {setText(o.set).join(' · ')}
        </span>
      </div>
      <span className="fix-est small">{o.estimate ? gibRange(o.estimate.lowMiB, o.estimate.highMiB) : ''}</span>
      <span className={`badge ${verdict === 'yes' ? 'ok' : verdict === 'no' ? 'err' : ''}`}>
        {verdict === 'yes' ? t('advice.fits') : verdict === 'no' ? t('advice.fitsNot') : t('advice.fitsUnknown')}
      </span>
      {/* aria-disabled, not disabled: a disabled button drops the focus out of the dialog (Esc would stop closing it). */}
      <button type="button" className="button small" aria-disabled={busy} data-testid="fix-create" onClick={() => void create()}>
        {t('advice.create')}
      </button>
    </li>
  );
}

/** The verdict in one line: which fixes would fit, or that none would (the "will not fit even with the fixes" warning). */
export function FixVerdict({ advice }: { advice: MemoryFixAdvice }): React.JSX.Element | null {
  const t = useT();
  const card = gib(advice.cardMiB);
  const fitting = advice.options.filter((o) => o.fits);
  if (fitting.length) {
    return (
      <div className="small fix-verdict" data-testid="fix-verdict" data-verdict="some">
        {t('advice.wouldFit', { fixes: fitting.map((o) => fixLabel(t, o, advice.gpuCount)).join(', ') })}
      </div>
    );
  }
  const best = advice.combined ?? advice.options[0];
  if (!best?.estimate || best.fits !== false) return null;
  return (
    <div className="small fix-verdict task-blocked" data-testid="fix-verdict" data-verdict="none">
      {t('advice.nothingFits', { card, range: gibRange(best.estimate.lowMiB, best.estimate.highMiB) })}
    </div>
  );
}

export function MemoryFixesDialog({ task, runId, marginMiB, onClose }: { task: Task; runId?: string; marginMiB: number; onClose(): void }): React.JSX.Element {
  const t = useT();
  const { advice, error } = useMemoryFixes(task, runId);
  const options = advice ? [...advice.options, ...(advice.combined ? [advice.combined] : [])] : [];
  return (
    <Dialog
      title={t('advice.title', { name: task.name })}
      onClose={onClose}
      testId="fixes-dialog"
      footer={
        <button type="button" className="button" onClick={onClose}>
          {t('common.close')}
        </button>
      }
    >
      {error && <div className="badge err">{t('advice.err.load')}: {error}</div>}
      {!advice && !error && <p className="muted">{t('advice.loading')}</p>}
      {advice && (
        <>
          <p className="muted small">{t('advice.intro', { card: gib(advice.cardMiB), margin: gib(marginMiB) })}</p>
          {advice.oomScale > 1 && (
            <p className="small" data-testid="fix-oom-scaled">
              {t('advice.oomScaled', { card: gib(advice.cardMiB), scale: advice.oomScale.toFixed(2) })}
            </p>
          )}
          {advice.current && <p className="small">{t('advice.now', { range: gibRange(advice.current.lowMiB, advice.current.highMiB) })}</p>}
          {options.length === 0 ? (
            <p className="muted">{t('advice.none')}</p>
          ) : (
            <ul className="fix-list">
              {options.map((o) => (
                <OptionRow key={o.fixes.join('+')} task={task} o={o} gpuCount={advice.gpuCount} />
              ))}
            </ul>
          )}
          <FixVerdict advice={advice} />
        </>
      )}
    </Dialog>
  );
}
