/** Settings persisted as one validated JSON document; unknown or invalid stored values fall back to defaults. */
import { defaultSettings, settingsSchema, type Settings, type SettingsPatch } from '../../shared/types/settings.js';
import type { Db } from './db.js';

const KEY = 'settings';

export function loadSettings(db: Db): Settings {
  const row = db.prepare<{ value: string }>('SELECT value FROM settings WHERE key = ?').get(KEY);
  if (!row) return structuredClone(defaultSettings);
  try {
    const stored = JSON.parse(row.value) as Partial<Settings>;
    // Merge over defaults so a setting added in a newer version gets its default instead of failing validation.
    const merged = {
      ...defaultSettings,
      ...stored,
      trainer: { ...defaultSettings.trainer, ...stored.trainer },
      chat: { ...defaultSettings.chat, ...stored.chat },
    };
    const parsed = settingsSchema.safeParse(merged);
    return parsed.success ? parsed.data : structuredClone(defaultSettings);
  } catch {
    return structuredClone(defaultSettings);
  }
}

export function applySettingsPatch(current: Settings, patch: SettingsPatch): Settings {
  return settingsSchema.parse({
    ...current,
    ...patch,
    trainer: { ...current.trainer, ...patch.trainer },
    chat: { ...current.chat, ...patch.chat },
  });
}

export function saveSettings(db: Db, settings: Settings): void {
  db.prepare('INSERT INTO settings (key, value) VALUES (?, ?) ON CONFLICT(key) DO UPDATE SET value = excluded.value').run(
    KEY,
    JSON.stringify(settings),
  );
}
