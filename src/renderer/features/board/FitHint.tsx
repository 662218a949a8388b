/** While a task hovers a lane: does it fit this card's live free memory, and why not, before the drop. */
import type { LaneId } from '../../../shared/types/task.js';
import { useT } from '../../i18n/index.js';
import { useBoard } from '../../stores/board.js';
import { fitKey } from './boardLogic.js';
import { selectionFor } from './actions.js';

export function FitHint({ lane, uuid }: { lane: LaneId; uuid: string | null }): React.JSX.Element | null {
  const t = useT();
  const drag = useBoard((s) => s.drag);
  const extra = selectionFor(uuid);
  const entry = useBoard((s) => (s.drag?.kind === 'task' ? s.fits[fitKey(s.drag.taskId, lane, extra)] : undefined));
  if (drag?.kind !== 'task') return null;
  const multi = extra.length > 0 ? <div className="muted small">{t('board.fit.multi', { n: extra.length + 1 })}</div> : null;
  if (!entry || entry.state === 'loading') {
    return (
      <div className="fit-hint checking" data-testid="fit-hint" data-fits="checking">
        {t('board.fit.checking')}
        {multi}
      </div>
    );
  }
  if (entry.state === 'error') {
    return (
      <div className="fit-hint no" data-testid="fit-hint" data-fits="error">
        {t('board.fit.error', { message: entry.message })}
      </div>
    );
  }
  const { fit } = entry;
  return (
    <div className={`fit-hint ${fit.fits ? 'yes' : 'no'}`} data-testid="fit-hint" data-fits={fit.fits ? 'yes' : 'no'}>
      <b>{fit.fits ? t('board.fit.yes') : t('board.fit.no')}</b> {fit.reason}
      {multi}
    </div>
  );
}
