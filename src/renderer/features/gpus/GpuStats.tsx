/** One line of a card's live figures: utilisation, temperature, power draw against its limit. */
import type { GpuInfo } from '../../../shared/types/gpu.js';
import { useT } from '../../i18n/index.js';

const n = (v: number | null, unit: string) => (v === null ? '–' : `${Math.round(v)}${unit}`);

export function GpuStats({ gpu }: { gpu: GpuInfo }): React.JSX.Element {
  const t = useT();
  const hot = gpu.temperatureC !== null && gpu.temperatureC >= 85;
  return (
    <div className="gpu-stats">
      <span title={t('gpus.util')}>
        <span className="muted">{t('gpus.utilShort')}</span> <b data-testid="gpu-util">{n(gpu.utilizationGpuPct, '%')}</b>
      </span>
      {gpu.vendor !== 'cpu' && (
        <>
          <span title={t('gpus.temp')} className={hot ? 'hot' : undefined}>
            <span className="muted">{t('gpus.tempShort')}</span> <b data-testid="gpu-temp">{n(gpu.temperatureC, '°C')}</b>
          </span>
          <span title={t('gpus.power')}>
            <span className="muted">{t('gpus.powerShort')}</span>{' '}
            <b data-testid="gpu-power">
              {n(gpu.powerDrawW, '')}
              {gpu.powerLimitW !== null ? ` / ${Math.round(gpu.powerLimitW)}` : ''} W
            </b>
          </span>
        </>
      )}
    </div>
  );
}
