/** A Slurm run's job: its state (and why it waits), nodes, what sbatch was asked for, and the job script as submitted. */
import { useEffect } from 'react';
import type { Run } from '../../../shared/types/run.js';
import { useT } from '../../i18n/index.js';
import { useRunDetail } from '../../stores/runDetail.js';

export function SlurmJobTab({ run }: { run: Run }): React.JSX.Element | null {
  const t = useT();
  const script = useRunDetail((s) => s.jobScript[run.id]?.value ?? null);
  const error = useRunDetail((s) => s.jobScript[run.id]?.error ?? null);
  useEffect(() => void useRunDetail.getState().loadJobScript(run.id), [run.id]);
  const job = run.slurm;
  if (!job) return null;
  const r = job.request;
  const rows: [string, string][] = [
    [t('runs.slurm.job'), `${job.jobId} · ${job.state}${job.reason ? ` (${job.reason})` : ''}`],
    [t('runs.slurm.partition'), job.partition],
    [t('runs.slurm.nodes'), job.nodeList || '—'],
    [t('runs.slurm.request'), t('runs.slurm.requestValue', { nodes: r.nodes, gpus: r.gpusPerNode, time: r.timeLimit ?? '—', account: r.account ?? '—', qos: r.qos ?? '—' })],
    [t('runs.slurm.requeues'), String(job.requeues)],
  ];
  return (
    <section className="panel config-tab" data-testid="run-slurm">
      <dl className="slurm-job-facts">
        {rows.map(([k, v]) => (
          <div key={k}>
            <dt className="muted">{k}</dt>
            <dd className="mono">{v}</dd>
          </div>
        ))}
      </dl>
      {error && <div className="empty" role="alert">{t('runs.slurm.scriptError', { error })}</div>}
      {script && (
        <>
          <code className="mono muted path" title={t('runs.slurm.scriptHint')}>{script.path}</code>
          <pre className="config-yaml mono" data-testid="run-slurm-script">{script.text}</pre>
        </>
      )}
    </section>
  );
}
