/** A task's hardware warnings for the cards it would run on (bf16/FlashAttention on old cards, its own CUDA_VISIBLE_DEVICES). */
import { useMemo } from 'react';
import { parse } from 'yaml';
import { hardwareWarnings, type CardCapability, type CardRef, type HardwareWarning } from '../../../shared/domain/hardware.js';
import { useT, type Translate } from '../../i18n/index.js';
import { useGpus } from '../../stores/gpus.js';

/**
 * The NVIDIA cards with their capabilities, stable across telemetry ticks: selected as one string (which changes only
 * when a card or its capability does), so a task card does not re-render on every sample.
 */
export function useCardCapabilities(): (CardCapability & { uuid: string })[] {
  const sig = useGpus((s) =>
    (s.snapshot?.gpus ?? [])
      .filter((g) => g.vendor === 'nvidia')
      .map((g) => JSON.stringify([g.uuid, g.index, g.name, g.computeCap ?? null]))
      .join('\n'),
  );
  return useMemo(
    () =>
      sig
        ? sig.split('\n').map((line) => {
            const [uuid, index, name, computeCap] = JSON.parse(line) as [string, number, string, string | null];
            return { uuid, index, name, computeCap };
          })
        : [],
    [sig],
  );
}

function words(t: Translate, w: HardwareWarning): string {
  const cards = (list: CardRef[]) => list.map((c) => t('advice.hw.card', { index: c.index, name: c.name, cap: c.cap })).join(', ');
  switch (w.code) {
    case 'bf16-old-card':
      return t('advice.hw.bf16', { key: w.key, cards: cards(w.cards) });
    case 'flash-attn-old-card':
      return t('advice.hw.flash', { value: w.value, needs: w.needs, cards: cards(w.cards) });
    case 'cuda-visible-devices':
      return t(w.where === 'key' ? 'advice.hw.cudaKey' : 'advice.hw.cudaComment', { devices: w.devices });
  }
}

/** Parsed once per YAML text: a config that does not parse has no warnings here (its issues already say why). */
function useConfig(yaml: string): Record<string, unknown> {
  return useMemo(() => {
    try {
      const d: unknown = parse(yaml);
      return d && typeof d === 'object' && !Array.isArray(d) ? (d as Record<string, unknown>) : {};
    } catch {
      return {};
    }
  }, [yaml]);
}

export function HardwareWarnings({ yaml, cards }: { yaml: string; cards: CardCapability[] }): React.JSX.Element | null {
  const t = useT();
  const config = useConfig(yaml);
  const list = hardwareWarnings(config, yaml, cards);
  if (list.length === 0) return null;
  return (
    <ul className="hw-warnings small" data-testid="hw-warnings" aria-label={t('advice.hw.title')}>
      {list.map((w) => (
        <li key={w.code} data-code={w.code}>
          {words(t, w)}
        </li>
      ))}
    </ul>
  );
}
