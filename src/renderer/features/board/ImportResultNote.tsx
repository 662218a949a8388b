/** The last import's outcome: how many tasks came in, and each skipped file with the reason in the user's language. */
import { skipSaid, useSay, useT } from '../../i18n/index.js';
import { useTasks } from '../../stores/tasks.js';

export function ImportResultNote(): React.JSX.Element | null {
  const t = useT();
  const say = useSay();
  const r = useTasks((s) => s.lastImport);
  if (!r) return null;
  const bad = r.imported.length === 0;
  return (
    <div className={`import-result ${bad ? 'bad' : 'good'}`} role="status" data-testid="import-result">
      <div className="import-result-head">
        <b>{t('board.import.result', { n: r.imported.length, m: r.skipped.length })}</b>
        <button type="button" className="icon-button" aria-label={t('common.dismiss')} onClick={() => useTasks.getState().clearImport()}>
          ×
        </button>
      </div>
      {r.skipped.length > 0 && (
        <ul className="small">
          {r.skipped.map((s, i) => (
            <li key={i}>
              <span className="mono">{s.name}</span> <span className="muted">— {say(skipSaid(s))}</span>
            </li>
          ))}
        </ul>
      )}
    </div>
  );
}
