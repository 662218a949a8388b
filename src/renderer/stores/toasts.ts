/** In-app toasts from the engine (run finished/failed, warnings), plus the desktop notification in Electron. */
import { create } from 'zustand';
import type { Toast } from '../../shared/types/system.js';
import { api } from '../api/client.js';
import { desktop } from '../platform/desktopBridge.js';
import { useSettings } from './settings.js';
import { toastText } from '../components/toastText.js';
import { translate } from '../i18n/index.js';

interface ToastState {
  toasts: Toast[];
  push(t: Toast): void;
  dismiss(id: string): void;
}

export const useToasts = create<ToastState>((set) => ({
  toasts: [],
  push: (t) => set((s) => ({ toasts: [...s.toasts.slice(-4), t] })),
  dismiss: (id) => set((s) => ({ toasts: s.toasts.filter((t) => t.id !== id) })),
}));

/** Shows a local toast (errors of the user's own actions). */
export function localToast(level: Toast['level'], title: string, body = ''): void {
  useToasts.getState().push({ id: `local-${Date.now()}-${Math.random()}`, level, title, body, at: Date.now() });
}

export function startToastSync(): () => void {
  return api.subscribe('toast', {}, (t) => {
    useToasts.getState().push(t);
    if (desktop && useSettings.getState().settings?.notifications) {
      const text = toastText((key, vars) => translate(useSettings.getState().settings?.language ?? 'en', key, vars), t);
      desktop.notify(text.title, text.body);
    }
    if (t.level !== 'error') setTimeout(() => useToasts.getState().dismiss(t.id), 8000);
  });
}
