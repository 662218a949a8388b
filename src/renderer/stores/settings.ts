/** Settings and engine info, loaded once and kept fresh by the `settings.changed` and `trainers.changed` topics. */
import { create } from 'zustand';
import type { Settings, SettingsPatch } from '../../shared/types/settings.js';
import type { SystemInfo } from '../../shared/types/system.js';
import { api } from '../api/client.js';
import { followTopic } from './topics.js';

interface SettingsState {
  settings: Settings | null;
  info: SystemInfo | null;
  load(): Promise<void>;
  update(patch: SettingsPatch): Promise<void>;
  /** The engine's diagnostics text (versions, masked settings, GPUs, the log's tail) for a bug report. */
  diagnostics(): Promise<string>;
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
  async diagnostics() {
    return (await api.call('system.diagnostics', {})).text;
  },
}));

export function startSettingsSync(): () => void {
  const offSettings = followTopic('settings.changed', {}, (settings) => useSettings.setState({ settings }));
  // A PyTorch check that system.info reported as still running has answered (subscribed before asking, so not missed).
  const offTrainers = followTopic('trainers.changed', {}, (trainers) => {
    const info = useSettings.getState().info;
    if (info) useSettings.setState({ info: { ...info, trainers } });
  });
  void useSettings.getState().load();
  return () => {
    offSettings();
    offTrainers();
  };
}
