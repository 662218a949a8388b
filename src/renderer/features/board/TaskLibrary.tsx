/** The task library beside the cards: import controls and result, then every task (runnable ones first). */
import { useT } from '../../i18n/index.js';
import { useTasks } from '../../stores/tasks.js';
import { SKIP_TARGETS } from '../../components/SkipLinks.js';
import { canEnqueue } from './boardLogic.js';
import { ImportButton } from './ImportButton.js';
import { ImportResultNote } from './ImportResultNote.js';
import { TaskCard } from './TaskCard.js';

export function TaskLibrary(): React.JSX.Element {
  const t = useT();
  const tasks = useTasks((s) => s.tasks);
  // Blocked tasks sink to the bottom, so what can be dragged is at hand; otherwise newest first.
  const sorted = [...tasks].sort((a, b) => Number(canEnqueue(b)) - Number(canEnqueue(a)) || b.createdAt - a.createdAt || a.name.localeCompare(b.name));
  return (
    <aside className="library" data-testid="task-library" aria-label={t('board.library.title')}>
      <div className="library-head">
        <h2>
          {t('board.library.title')} <span className="muted">({tasks.length})</span>
        </h2>
        <ImportButton />
      </div>
      <p className="muted small">{t('board.library.help')}</p>
      <ImportResultNote />
      <ul className="task-list" id={SKIP_TARGETS.tasks} tabIndex={-1} aria-label={t('board.library.title')}>
        {sorted.map((task) => (
          <TaskCard key={task.id} task={task} />
        ))}
      </ul>
    </aside>
  );
}
