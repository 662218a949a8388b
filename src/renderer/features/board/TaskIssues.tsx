/** A task's validation errors and warnings with their line numbers (each message names its fix). */
import type { ValidationIssue } from '../../../shared/types/task.js';
import { issueSaid, useSay, useT } from '../../i18n/index.js';

const ORDER = { error: 0, warning: 1, info: 2 } as const;

export function TaskIssues({ issues }: { issues: ValidationIssue[] }): React.JSX.Element | null {
  const t = useT();
  const say = useSay();
  if (issues.length === 0) return null;
  const sorted = [...issues].sort((a, b) => ORDER[a.severity] - ORDER[b.severity] || (a.line ?? 0) - (b.line ?? 0));
  return (
    <ul className="task-issues small" data-testid="task-issues">
      {sorted.map((i, n) => (
        <li key={n} className={`issue-${i.severity}`} data-severity={i.severity}>
          <span className="issue-sev">{t(`board.issue.${i.severity}`)}</span>
          {/* The message names the fix itself ("Did you mean learning_rate?"); `suggestion` is for the editor's quick fix. */}
          {i.line !== undefined && <span className="mono muted">{t('board.issue.line', { line: i.line })}</span>} {say(issueSaid(i))}
        </li>
      ))}
    </ul>
  );
}
