/** Hardware-aware warnings before a start: features a card cannot run (bf16, FlashAttention) and a config that names its own GPUs. */
import { truthy } from './configValues.js';

/** A card as these rules need it: which one, and its CUDA compute capability ("7.0"; null when unknown). */
export interface CardCapability {
  index: number;
  name: string;
  computeCap?: string | null;
}

export interface CardRef {
  index: number;
  name: string;
  cap: string;
}

/**
 * What the task card and the drop hint say, as codes the renderer words in the user's language.
 * - bf16-old-card: bf16/pure_bf16 on cards below compute capability 8.0 (V100 7.0, T4 7.5) — no bf16 units there.
 * - flash-attn-old-card: flash_attn fa2 needs 8.0 (Ampere), fa3 needs 9.0 (Hopper).
 * - cuda-visible-devices: the config sets CUDA_VISIBLE_DEVICES (a key, or an env block) or its comment shows the
 *   command it was run with; Trainyard sets it from the card(s) the task is put on, so the config's choice is not used.
 */
export type HardwareWarning =
  | { code: 'bf16-old-card'; key: 'bf16' | 'pure_bf16'; cards: CardRef[] }
  | { code: 'flash-attn-old-card'; value: 'fa2' | 'fa3'; needs: string; cards: CardRef[] }
  | { code: 'cuda-visible-devices'; devices: string; where: 'key' | 'comment' };

/** "8.6" → 86, so capabilities compare as numbers (8.10 would not exist; minor versions stay below 10). */
export function capabilityValue(cap: string): number | null {
  const m = /^(\d{1,2})\.(\d)$/.exec(cap.trim());
  return m ? Number(m[1]) * 10 + Number(m[2]) : null;
}

/** bf16 tensor cores arrived with Ampere (sm_80); FlashAttention-2 supports Ampere and newer, FlashAttention-3 Hopper. */
const BF16_MIN = 80;
const FLASH_MIN: Record<'fa2' | 'fa3', number> = { fa2: 80, fa3: 90 };

const below = (cards: CardCapability[], min: number): CardRef[] =>
  cards.flatMap((c) => {
    const v = c.computeCap ? capabilityValue(c.computeCap) : null;
    return v !== null && v < min ? [{ index: c.index, name: c.name, cap: c.computeCap! }] : [];
  });

/** `CUDA_VISIBLE_DEVICES=6 llamafactory-cli train x.yaml` in a comment: the run command people keep above the keys. */
const COMMENT_DEVICES = /^\s*#.*\bCUDA_VISIBLE_DEVICES\s*=\s*["']?([0-9A-Za-z,:-]+)/m;

function devicesIn(config: Record<string, unknown>, text: string): { devices: string; where: 'key' | 'comment' } | null {
  const blocks = [config, config.env, config.environment].filter((b): b is Record<string, unknown> => !!b && typeof b === 'object' && !Array.isArray(b));
  for (const b of blocks) {
    const v = b.CUDA_VISIBLE_DEVICES;
    if (v !== undefined && v !== null) return { devices: String(v), where: 'key' };
  }
  const m = COMMENT_DEVICES.exec(text);
  return m ? { devices: m[1]!, where: 'comment' } : null;
}

/**
 * Warnings for a config about to run on `cards` (the lane's card(s), or every card of the machine for the library).
 * Training and evaluation both load the model in the dtype asked for, so the checks do not depend on do_train.
 */
export function hardwareWarnings(config: Record<string, unknown>, text: string, cards: CardCapability[]): HardwareWarning[] {
  const out: HardwareWarning[] = [];
  const bf16Key = truthy(config.pure_bf16) ? 'pure_bf16' : truthy(config.bf16) ? 'bf16' : null;
  if (bf16Key) {
    const old = below(cards, BF16_MIN);
    if (old.length) out.push({ code: 'bf16-old-card', key: bf16Key, cards: old });
  }
  const fa = typeof config.flash_attn === 'string' ? config.flash_attn.trim().toLowerCase() : '';
  if (fa === 'fa2' || fa === 'fa3') {
    const old = below(cards, FLASH_MIN[fa]);
    if (old.length) out.push({ code: 'flash-attn-old-card', value: fa, needs: `${FLASH_MIN[fa] / 10}.0`, cards: old });
  }
  const dev = devicesIn(config, text);
  if (dev) out.push({ code: 'cuda-visible-devices', ...dev });
  return out;
}
