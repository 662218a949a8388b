/** The per-example view of a spot-check: prompt, expected answer and the model's answer side by side, with score and latency. */
import type { SpotCheckDetail } from '../../../shared/types/compare.js';
import { useT } from '../../i18n/index.js';
import { fmtMs, fmtNum } from './format.js';

export function SpotCheckExamples({ detail }: { detail: SpotCheckDetail }): React.JSX.Element {
  const t = useT();
  return (
    <table className="table spot-examples" data-testid="spot-examples">
      <thead>
        <tr>
          <th>#</th>
          <th>{t('compare.eval.prompt')}</th>
          <th>{t('compare.eval.expected')}</th>
          <th>{t('compare.eval.answer')}</th>
          <th>{t('compare.eval.score')}</th>
          <th>{t('compare.eval.latency')}</th>
        </tr>
      </thead>
      <tbody>
        {detail.items.map((it) => (
          <tr key={it.index} className={it.exact || it.contains ? 'hit' : 'miss'}>
            <td>{it.index + 1}</td>
            <td className="pre">{it.prompt}</td>
            <td className="pre">{it.expected}</td>
            <td className="pre">{it.error ? <span className="error">{it.error}</span> : it.answer}</td>
            <td>
              <span className="badge">{it.exact ? t('compare.eval.exact') : it.contains ? t('compare.eval.contains') : t('compare.eval.miss')}</span> R-L {fmtNum(it.rougeL, 3)}
            </td>
            <td className="mono">{t('compare.eval.latencyDetail', { ttft: fmtMs(it.ttftMs), total: fmtMs(it.totalMs), tps: fmtNum(it.tokensPerSec, 3) })}</td>
          </tr>
        ))}
      </tbody>
    </table>
  );
}
