/** The first tab stops of the window, shown only when focused: jump past the navigation (and, on the board, past every card to the tasks). */
import { useT } from '../i18n/index.js';
import type { View } from '../stores/ui.js';

/** Ids of the places the links jump to (each a focusable element with tabIndex -1). */
export const SKIP_TARGETS = { content: 'main-content', tasks: 'task-list' } as const;

function jump(id: string): void {
  // Buttons, not #anchors: the URL's fragment holds the access token, and moving focus is what a keyboard user needs.
  document.getElementById(id)?.focus();
}

export function SkipLinks({ view }: { view: View }): React.JSX.Element {
  const t = useT();
  return (
    <div className="skip-links">
      {view === 'board' && (
        <button type="button" className="skip-link" data-testid="skip-to-tasks" onClick={() => jump(SKIP_TARGETS.tasks)}>
          {t('nav.skipToTasks')}
        </button>
      )}
      <button type="button" className="skip-link" data-testid="skip-to-content" onClick={() => jump(SKIP_TARGETS.content)}>
        {t('nav.skipToContent')}
      </button>
    </div>
  );
}
