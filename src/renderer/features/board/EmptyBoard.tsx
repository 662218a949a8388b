/** The board with no tasks yet: how to import, and a one-click start with the bundled demo trainer and example configs. */
import { useState } from 'react';
import { useT } from '../../i18n/index.js';
import { useSettings } from '../../stores/settings.js';
import { tryDemo } from './actions.js';
import { ImportButton } from './ImportButton.js';

export function EmptyBoard(): React.JSX.Element {
  const t = useT();
  const info = useSettings((s) => s.info);
  const [busy, setBusy] = useState(false);
  // Without llamafactory-cli the demo is the only way to see the board work, so it becomes the main action.
  const noCli = info !== null && !info.trainers.llamafactoryCli;
  // While the engine is still asking a Python for PyTorch the demo is not unavailable, only not confirmed yet.
  const checking = info?.trainers.demoChecking ?? null;
  const noDemo = info !== null && !info.trainers.demoPython && !checking;
  return (
    <div className="empty empty-board" data-testid="board-empty">
      <h2>{t('board.empty.title')}</h2>
      <p>{t('board.noTasks')}</p>
      <p className="muted small">{t('board.empty.formats')}</p>
      {noCli && (
        <p className="badge warn" data-testid="no-cli">
          {t('board.empty.noCli')}
        </p>
      )}
      <div className="empty-actions">
        <ImportButton primary={!noCli} />
        <button
          type="button"
          className={`button${noCli ? ' primary' : ''}`}
          data-testid="try-demo"
          disabled={busy}
          title={noDemo ? (info?.trainers.demoProblem ?? undefined) : undefined}
          onClick={() => {
            setBusy(true);
            void tryDemo().finally(() => setBusy(false));
          }}
        >
          {busy ? t('common.loading') : t('board.empty.tryDemo')}
        </button>
      </div>
      {noDemo && <p className="muted small">{t('board.empty.demoProblem', { problem: info?.trainers.demoProblem ?? '' })}</p>}
      {checking && (
        <p className="muted small" data-testid="demo-checking">
          {t('board.empty.demoChecking', { path: checking })}
        </p>
      )}
    </div>
  );
}
