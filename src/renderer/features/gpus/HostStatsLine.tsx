/** The host beside its GPUs: CPU load and RAM in use, from the snapshot's /proc figures. */
import { useT } from '../../i18n/index.js';
import { useGpus } from '../../stores/gpus.js';
import { gib } from '../board/boardLogic.js';

export function HostStatsLine(): React.JSX.Element | null {
  const t = useT();
  const host = useGpus((s) => s.snapshot?.host ?? null);
  if (!host) return null;
  return (
    <span className="host-stats muted small" data-testid="host-stats">
      <b>{t('gpus.host')}</b>{' '}
      <span data-testid="host-cpu">{t('gpus.host.cpu', { pct: host.cpuPct === null ? '–' : `${Math.round(host.cpuPct)}%` })}</span>
      {' · '}
      <span data-testid="host-ram">{t('gpus.host.ram', { used: gib(host.memUsedMiB), total: gib(host.memTotalMiB) })}</span>
    </span>
  );
}
