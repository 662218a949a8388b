/** The head of a Slurm lane: the partition, its nodes with state and GPUs (total / in use / free), drained and down nodes marked. */
import type { SlurmNode, SlurmPartition } from '../../../shared/types/slurm.js';
import { useT } from '../../i18n/index.js';

/** A node whose GPUs Slurm will not hand out now (drained, down, failing). */
export const nodeUnavailable = (n: SlurmNode) => /drain|down|fail|maint|reboot|inval|unknown/.test(n.state);

export function SlurmLaneCard({ name, partition }: { name: string; partition: SlurmPartition | null }): React.JSX.Element {
  const t = useT();
  const nodes = partition?.nodes ?? [];
  const usable = nodes.filter((n) => !nodeUnavailable(n));
  const total = nodes.reduce((a, n) => a + n.gpusTotal, 0);
  const used = nodes.reduce((a, n) => a + n.gpusUsed, 0);
  const free = usable.reduce((a, n) => a + Math.max(0, n.gpusTotal - n.gpusUsed), 0);
  return (
    <div className="gpu-card-body slurm-card" data-testid="slurm-card">
      <div className="gpu-head static">
        <span className="gpu-index">⇶</span>
        <span className="gpu-name">{t('board.slurm.title', { name })}</span>
        {partition && partition.availability !== 'up' && <span className="badge err">{partition.availability}</span>}
      </div>
      {!partition ? (
        <p className="muted small">{t('board.slurm.gone')}</p>
      ) : (
        <>
          <p className="small" data-testid="slurm-gpus">
            {t('board.slurm.gpus', { free, used, total })}
            {partition.timeLimit && <span className="muted"> · {t('board.slurm.timeLimit', { limit: partition.timeLimit })}</span>}
          </p>
          <ul className="slurm-nodes">
            {nodes.map((n) => (
              <li key={n.name} className={nodeUnavailable(n) ? 'unavailable' : ''} data-testid="slurm-node" title={n.reason ?? undefined}>
                <span className="mono">{n.name}</span>
                <span className={`badge ${nodeUnavailable(n) ? 'err' : n.state.startsWith('idle') ? 'ok' : 'warn'}`}>{n.state}</span>
                <span className="muted small">{t('board.slurm.nodeGpus', { used: n.gpusUsed, total: n.gpusTotal })}</span>
              </li>
            ))}
          </ul>
          <p className="muted small">{t('board.slurm.help')}</p>
        </>
      )}
    </div>
  );
}
