/** A task's validation errors and warnings with their line numbers and the suggested fix. */
import type { ValidationIssue } from '../../../shared/types/task.js';
import { useT } from '../../i18n/index.js';

const ORDER = { error: 0, warning: 1, info: 2 } as const;

export function TaskIssues({ issues }: { issues: ValidationIssue[] }): React.JSX.Element | null {
  const t = useT();
  if (issues.length === 0) return null;
  const sorted = [...issues].sort((a, b) => ORDER[a.severity] - ORDER[b.severity] || (a.line ?? 0) - (b.line ?? 0));
  return (
    <ul className="task-issues small" data-testid="task-issues">
      {sorted.map((i, n) => (
        <li key={n} className={`issue-${i.severity}`} data-severity={i.severity}>
          <span className="issue-sev">{t(`board.issue.${i.severity}`)}</span>
          {i.line !== undefined && <span className="mono muted">{t('board.issue.line', { line: i.line })}</span>} {i.message}
          {i.suggestion && <span className="muted"> {t('board.issue.suggest', { s: i.suggestion })}</span>}
        </li>
      ))}
    </ul>
  );
}
