/** Settings and engine info, loaded once and kept fresh by the `settings.changed` topic. */
import { create } from 'zustand';
import type { Settings, SettingsPatch } from '../../shared/types/settings.js';
import type { SystemInfo } from '../../shared/types/system.js';
import { api } from '../api/client.js';

interface SettingsState {
  settings: Settings | null;
  info: SystemInfo | null;
  load(): Promise<void>;
  update(patch: SettingsPatch): Promise<void>;
}

export const useSettings = create<SettingsState>((set) => ({
  settings: null,
  info: null,
  async load() {
    const [settings, info] = await Promise.all([api.call('settings.get', {}), api.call('system.info', {})]);
    set({ settings, info });
  },
  async update(patch) {
    const settings = await api.call('settings.update', patch);
    set({ settings });
    // Trainer availability depends on settings (paths), so refresh the info too.
    set({ info: await api.call('system.info', {}) });
  },
}));

export function startSettingsSync(): () => void {
  void useSettings.getState().load();
  return api.subscribe('settings.changed', {}, (settings) => useSettings.setState({ settings }));
}
