/** The board view (first version: header and empty state; the board issue fills it). */
import { useT } from '../../i18n/index.js';

export function BoardView(): React.JSX.Element {
  const t = useT();
  return (
    <div data-testid="board-view">
      <h1 className="page-title">{t('board.title')}</h1>
      <div className="empty">{t('board.noTasks')}</div>
    </div>
  );
}
