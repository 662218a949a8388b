/** A card's memory as one bar: Trainyard runs / other programs / reserved for starting runs / free, with a legend. */
import { useT } from '../../i18n/index.js';
import { gib, type MemorySplit } from '../board/boardLogic.js';

export function MemoryBar({ split }: { split: MemorySplit | null }): React.JSX.Element {
  const t = useT();
  if (!split) return <div className="mem-bar-empty muted">{t('gpus.memUnknown')}</div>;
  const pct = (v: number) => `${(v / split.totalMiB) * 100}%`;
  const parts = [
    { cls: 'runs', v: split.runsMiB, label: t('gpus.mem.runs') },
    { cls: 'other', v: split.otherMiB, label: t('gpus.mem.other') },
    { cls: 'reserved', v: split.reservedMiB, label: t('gpus.mem.reserved') },
  ];
  const used = split.totalMiB - split.freeMiB - split.reservedMiB;
  return (
    <div className="mem">
      <div
        className="mem-bar"
        role="img"
        aria-label={t('gpus.memAria', { used: gib(used), total: gib(split.totalMiB), free: gib(split.freeMiB) })}
      >
        {parts.map((p) => p.v > 0 && <span key={p.cls} className={`mem-${p.cls}`} style={{ width: pct(p.v) }} title={`${p.label}: ${gib(p.v)}`} />)}
      </div>
      <div className="mem-legend">
        <span data-testid="gpu-mem-used">{t('gpus.memUsed', { used: gib(used), total: gib(split.totalMiB) })}</span>
        {parts.map(
          (p) =>
            p.v > 0 && (
              <span key={p.cls} className="mem-key">
                <i className={`mem-${p.cls}`} />
                {p.label} {gib(p.v)}
              </span>
            ),
        )}
        <span className="mem-key" data-testid="gpu-mem-free">
          <i className="mem-free" />
          {t('gpus.mem.free')} {gib(split.freeMiB)}
        </span>
      </div>
    </div>
  );
}
