/** The run page header: name, status, placement, progress with our ETA, and the figures people watch (step, epoch, loss, memory). */
import type { Run } from '../../../shared/types/run.js';
import { useT } from '../../i18n/index.js';
import { formatDuration, formatEpoch, formatGpus, formatLoss, formatMiB, formatRate, runDurationSeconds } from './format.js';
import { ProgressBar } from './ProgressBar.js';
import { RunActions } from './RunActions.js';
import { isActiveStatus } from '../../../shared/domain/runState.js';
import { StatusBadge } from './StatusBadge.js';
import { useNow } from './useNow.js';

export function RunHeader({ run }: { run: Run }): React.JSX.Element {
  const t = useT();
  const live = isActiveStatus(run.status);
  const now = useNow(live);
  const p = run.progress;
  const gpus = formatGpus(run.gpuIndices);
  const stats: [string, string, string][] = [
    ['step', t('runs.stat.step'), p ? `${p.step}${p.totalSteps != null ? ` / ${p.totalSteps}` : ''}` : '—'],
    ['epoch', t('runs.stat.epoch'), formatEpoch(p?.epoch)],
    ['eta', t('runs.stat.eta'), live ? formatDuration(p?.etaSeconds) : '—'],
    ['tps', t('runs.stat.tokensPerSec'), formatRate(p?.tokensPerSec)],
    ['elapsed', t('runs.stat.elapsed'), formatDuration(runDurationSeconds(run, now))],
    ['loss', t('runs.stat.loss'), formatLoss(p?.lastLoss)],
    ['evalLoss', t('runs.stat.evalLoss'), formatLoss(p?.lastEvalLoss)],
    ['memory', t('runs.stat.memory'), `${formatMiB(run.peakMiB)} / ${formatMiB(run.estimateMiB)}`],
  ];
  return (
    <section className="panel run-header" data-testid="run-header">
      <div className="run-header-top">
        <StatusBadge status={run.status} />
        <h1 className="run-title" data-testid="run-title">
          {run.name}
        </h1>
        {run.slurm ? (
          <span className="badge mono" data-testid="run-slurm-badge" title={run.slurm.nodeList || undefined}>
            {t('runs.slurmBadge', { partition: run.slurm.partition, id: run.slurm.jobId })} · {run.slurm.state}
          </span>
        ) : (
          <span className="badge mono" title={t('runs.gpusHint')}>
            {gpus ? t('runs.gpuList', { gpus }) : t('runs.cpu')}
          </span>
        )}
        {run.slurm?.reason && run.status === 'starting' && <span className="badge warn">{t('runs.slurmPending', { reason: run.slurm.reason })}</span>}
        {run.exitCode != null && !live && (
          <span className={`badge mono ${run.exitCode === 0 ? 'ok' : 'err'}`} data-testid="run-exit-code">
            {t('runs.exitCode', { code: run.exitCode })}
          </span>
        )}
        {run.signal && !live && <span className="badge mono warn">{run.signal}</span>}
        <span className="spacer" />
        <RunActions run={run} />
      </div>
      <ProgressBar progress={run.progress} status={run.status} />
      <dl className="run-stats">
        {stats.map(([key, label, value]) => (
          <div key={key} data-testid={`run-stat-${key}`}>
            <dt>{label}</dt>
            <dd className="mono" title={key === 'memory' ? t('runs.stat.memoryHint') : key === 'eta' ? t('runs.etaHint') : undefined}>
              {value}
            </dd>
          </div>
        ))}
      </dl>
    </section>
  );
}
