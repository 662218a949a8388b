/** The runs view (first version: header and empty state; the runs issue fills it). */
import { useT } from '../../i18n/index.js';

export function RunsView(): React.JSX.Element {
  const t = useT();
  return (
    <div data-testid="runs-view">
      <h1 className="page-title">{t('runs.title')}</h1>
      <div className="empty">{t('runs.none')}</div>
    </div>
  );
}
