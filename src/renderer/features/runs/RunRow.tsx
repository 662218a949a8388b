/** One row of the run list: status, name (with tags), GPUs, progress, last loss, duration, start time. */
import type { Run } from '../../../shared/types/run.js';
import { msg } from '../../../shared/messages/message.js';
import { useSay, useT } from '../../i18n/index.js';
import { useSettings } from '../../stores/settings.js';
import { useUi } from '../../stores/ui.js';
import { formatDuration, formatGpus, formatLoss, formatStarted, runDurationSeconds } from './format.js';
import { ProgressBar } from './ProgressBar.js';
import { StatusBadge } from './StatusBadge.js';

export function RunRow({ run, now }: { run: Run; now: number }): React.JSX.Element {
  const t = useT();
  const say = useSay();
  const navigate = useUi((s) => s.navigate);
  const lang = useSettings((s) => s.settings?.language ?? 'en');
  const open = () => navigate('runs', run.id);
  const gpus = formatGpus(run.gpuIndices);
  return (
    <tr
      className="run-row"
      data-testid="run-row"
      data-run-id={run.id}
      tabIndex={0}
      onClick={open}
      onKeyDown={(e) => {
        if (e.key !== 'Enter' && e.key !== ' ') return;
        e.preventDefault();
        open();
      }}
      aria-label={t('runs.openRun', { name: run.name })}
    >
      <td>
        <StatusBadge status={run.status} />
      </td>
      <td className="run-name-cell">
        <span className="run-name">{run.name}</span>
        {run.box && (
          <span className={`badge${run.boxState === 'reachable' ? '' : ' err'}`} data-testid="run-box" title={t(`remotes.state.${run.boxState ?? 'connecting'}`)}>
            {run.box}
          </span>
        )}
        {run.tags.map((tag) => (
          <span key={tag} className="tag">
            {tag}
          </span>
        ))}
        {run.failure && <div className="run-failure-line" title={say(run.failure.message)}>{say(msg(`failure.kind.${run.failure.kind}`))}</div>}
      </td>
      <td className="mono">{gpus ?? t('runs.cpu')}</td>
      <td className="progress-cell">
        <ProgressBar progress={run.progress} status={run.status} compact />
      </td>
      <td className="mono">{formatLoss(run.progress?.lastLoss)}</td>
      <td className="mono">{formatDuration(runDurationSeconds(run, now))}</td>
      <td className="muted">{formatStarted(run.startedAt, lang, now)}</td>
    </tr>
  );
}
