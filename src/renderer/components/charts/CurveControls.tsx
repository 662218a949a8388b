/** The curve controls of Compare and the run page: x axis, EMA smoothing and log scale, one component so both read and behave the same. */
import type { CurveAxis } from '../../../shared/types/compare.js';
import { useT, type MessageKey } from '../../i18n/index.js';
import './charts.css';

export interface CurveView {
  axis: CurveAxis;
  smoothing: number;
  logScale: boolean;
}

interface Props extends CurveView {
  axes: readonly CurveAxis[];
  onChange(patch: Partial<CurveView>): void;
  /** Prefix of the controls' test ids: `<prefix>-axis`, `<prefix>-smoothing`, `<prefix>-log`. */
  testIdPrefix: string;
}

export function CurveControls({ axes, axis, smoothing, logScale, onChange, testIdPrefix }: Props): React.JSX.Element {
  const t = useT();
  return (
    <>
      <label className="curve-field">
        <span>{t('compare.axis')}</span>
        <select value={axis} onChange={(e) => onChange({ axis: e.target.value as CurveAxis })} data-testid={`${testIdPrefix}-axis`}>
          {axes.map((a) => (
            <option key={a} value={a}>
              {t(`compare.axis.${a}` as MessageKey)}
            </option>
          ))}
        </select>
      </label>
      <label className="curve-field">
        <span>
          {t('compare.smoothing')} {smoothing.toFixed(2)}
        </span>
        <input
          type="range"
          min={0}
          max={0.99}
          step={0.01}
          value={smoothing}
          onChange={(e) => onChange({ smoothing: Number(e.target.value) })}
          data-testid={`${testIdPrefix}-smoothing`}
        />
      </label>
      <label className="curve-toggle">
        <input type="checkbox" checked={logScale} onChange={(e) => onChange({ logScale: e.target.checked })} data-testid={`${testIdPrefix}-log`} />
        {t('compare.logScale')}
      </label>
    </>
  );
}
