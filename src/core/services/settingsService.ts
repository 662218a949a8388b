/** Settings: a patch over the current document, validated whole, stored, made current and announced. */
import { settingsSchema, type Settings, type SettingsPatch } from '../../shared/types/settings.js';
import type { CoreContext } from '../context.js';
import { createSettingsRepo } from '../store/settingsRepo.js';

/** A patch over the current settings, validated whole (nested groups merge key by key). */
export function applySettingsPatch(current: Settings, patch: SettingsPatch): Settings {
  return settingsSchema.parse({
    ...current,
    ...patch,
    trainer: { ...current.trainer, ...patch.trainer },
    chat: { ...current.chat, ...patch.chat },
    slurm: { ...current.slurm, ...patch.slurm },
  });
}

export function createSettingsService(ctx: CoreContext, setSettings: (s: Settings) => void) {
  const repo = createSettingsRepo(ctx.db);
  return {
    update(patch: SettingsPatch): Settings {
      const next = applySettingsPatch(ctx.settings(), patch);
      repo.save(next);
      setSettings(next);
      ctx.bus.emit('settings.changed', next);
      return next;
    },
  };
}
