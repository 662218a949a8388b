/** The compare view (first version: header and empty state; the compare issue fills it). */
import { useT } from '../../i18n/index.js';

export function CompareView(): React.JSX.Element {
  const t = useT();
  return (
    <div data-testid="compare-view">
      <h1 className="page-title">{t('compare.title')}</h1>
      <div className="empty">{t('compare.none')}</div>
    </div>
  );
}
