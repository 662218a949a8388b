/** Under a task too big for every card: which memory fixes would make it fit (or that none would), and the fixes dialog. */
import { useState } from 'react';
import type { Task } from '../../../shared/types/task.js';
import { useT } from '../../i18n/index.js';
import { useSettings } from '../../stores/settings.js';
import { FixVerdict, MemoryFixesDialog, useMemoryFixes } from './MemoryFixes.js';

export function TooBigFixes({ task }: { task: Task }): React.JSX.Element {
  const t = useT();
  const { advice } = useMemoryFixes(task);
  const [open, setOpen] = useState(false);
  const marginMiB = useSettings((s) => s.settings?.safetyMarginMiB ?? 0);
  return (
    <div className="too-big-fixes">
      {advice && <FixVerdict advice={advice} />}
      {advice && (advice.options.length > 0 || advice.combined) && (
        <button type="button" className="button small" data-testid="task-fixes-open" onClick={() => setOpen(true)}>
          {t('advice.open')}
        </button>
      )}
      {open && <MemoryFixesDialog task={task} marginMiB={marginMiB} onClose={() => setOpen(false)} />}
    </div>
  );
}
