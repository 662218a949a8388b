/** While a task hovers a lane: does it fit this card's live free memory, and why not, before the drop. */
import type { LaneId } from '../../../shared/types/task.js';
import { asMessage } from '../../../shared/messages/message.js';
import { useSay, useT } from '../../i18n/index.js';
import { useBoard } from '../../stores/board.js';
import { useTasks } from '../../stores/tasks.js';
import { fitKey } from './boardLogic.js';
import { selectionFor } from './actions.js';
import { HardwareWarnings, useCardCapabilities } from './HardwareWarnings.js';

export function FitHint({ lane, uuid }: { lane: LaneId; uuid: string | null }): React.JSX.Element | null {
  const t = useT();
  const say = useSay();
  const drag = useBoard((s) => s.drag);
  const extra = selectionFor(uuid);
  const entry = useBoard((s) => (s.drag?.kind === 'task' ? s.fits[fitKey(s.drag.taskId, lane, extra)] : undefined));
  const yaml = useTasks((s) => (drag?.kind === 'task' ? s.tasks.find((tk) => tk.id === drag.taskId)?.yaml : undefined));
  // The cards this drop would run on: the lane's own and the rest of a selection; Auto may pick any.
  const allCards = useCardCapabilities();
  const targets = uuid === null ? allCards : allCards.filter((g) => g.uuid === uuid || extra.includes(g.uuid));
  if (drag?.kind !== 'task') return null;
  const multi = (
    <>
      {extra.length > 0 && <div className="muted small">{t('board.fit.multi', { n: extra.length + 1 })}</div>}
      {yaml !== undefined && <HardwareWarnings yaml={yaml} cards={targets} />}
    </>
  );
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
      <b>{fit.fits ? t('board.fit.yes') : t('board.fit.no')}</b> {fit.said ? say(asMessage(fit.said)) : fit.reason}
      {multi}
    </div>
  );
}
