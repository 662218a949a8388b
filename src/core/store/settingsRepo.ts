/** Settings persisted as one validated JSON document; unknown or invalid stored values fall back to defaults. */
import { defaultSettings, settingsSchema, type Settings } from '../../shared/types/settings.js';
import type { Db } from './db.js';

const KEY = 'settings';

export function createSettingsRepo(db: Db) {
  const read = db.prepare<{ value: string }>('SELECT value FROM settings WHERE key = ?');
  const write = db.prepare('INSERT INTO settings (key, value) VALUES (?, ?) ON CONFLICT(key) DO UPDATE SET value = excluded.value');
  return {
    load: (): Settings => {
      const row = read.get(KEY);
      if (!row) return structuredClone(defaultSettings);
      try {
        const stored = JSON.parse(row.value) as Partial<Settings>;
        // Merge over defaults so a setting added in a newer version gets its default instead of failing validation.
        const merged = {
          ...defaultSettings,
          ...stored,
          trainer: { ...defaultSettings.trainer, ...stored.trainer },
          chat: { ...defaultSettings.chat, ...stored.chat },
          slurm: { ...defaultSettings.slurm, ...stored.slurm },
        };
        const parsed = settingsSchema.safeParse(merged);
        return parsed.success ? parsed.data : structuredClone(defaultSettings);
      } catch {
        return structuredClone(defaultSettings);
      }
    },
    save: (settings: Settings): void => void write.run(KEY, JSON.stringify(settings)),
  };
}

export type SettingsRepo = ReturnType<typeof createSettingsRepo>;
