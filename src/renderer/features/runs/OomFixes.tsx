/** On a run that ran out of GPU memory: make a variant of its task that needs less, estimated against the run's own card. */
import { useState } from 'react';
import type { Run } from '../../../shared/types/run.js';
import { useT } from '../../i18n/index.js';
import { useSettings } from '../../stores/settings.js';
import { useTasks } from '../../stores/tasks.js';
import { MemoryFixesDialog } from '../board/MemoryFixes.js';

export function OomFixes({ run }: { run: Run }): React.JSX.Element | null {
  const t = useT();
  const task = useTasks((s) => s.tasks.find((tk) => tk.id === run.taskId));
  const marginMiB = useSettings((s) => s.settings?.safetyMarginMiB ?? 0);
  const [open, setOpen] = useState(false);
  if (!task) return null;
  return (
    <section className="oom-fixes panel" data-testid="oom-fixes" aria-label={t('advice.oomTitle')}>
      <span>{t('advice.oomBody', { name: task.name })}</span>
      <button type="button" className="button primary small" data-testid="oom-fixes-open" onClick={() => setOpen(true)}>
        {t('advice.open')}
      </button>
      {open && <MemoryFixesDialog task={task} runId={run.id} marginMiB={marginMiB} onClose={() => setOpen(false)} />}
    </section>
  );
}
