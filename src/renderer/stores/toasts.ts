/** In-app toasts from the engine (run finished/failed, warnings), plus the desktop notification in Electron. */
import { create } from 'zustand';
import type { Toast } from '../../shared/types/system.js';
import { followTopic } from './topics.js';
import { desktop } from '../platform/desktopBridge.js';
import { useSettings } from './settings.js';
import { verbatim } from '../../shared/messages/message.js';
import { say } from '../i18n/index.js';

/** How long a toast stays by itself. Errors stay until read and dismissed: they say what to do. */
export const TOAST_MS: Record<Toast['level'], number | null> = { success: 5_000, info: 6_000, warning: 12_000, error: null };

/** A box on screen the toasts must not cover (the control whose action a toast reports). */
export interface Avoid {
  left: number;
  top: number;
  right: number;
  bottom: number;
}

interface ToastState {
  toasts: Toast[];
  /** Which corner the stack sits in: bottom-right, unless that would cover the control that caused the toast. */
  side: 'right' | 'left';
  push(t: Toast, avoid?: Avoid | null): void;
  dismiss(id: string): void;
}

const STACK_WIDTH = 360;
const STACK_HEIGHT = 320;

const timers = new Map<string, ReturnType<typeof setTimeout>>();

export const useToasts = create<ToastState>((set, get) => ({
  toasts: [],
  side: 'right',
  push: (t, avoid = null) => {
    // The same message twice (a field committed on Enter and again on blur, a retry that fails the same way) is one toast.
    const twin = get().toasts.find((x) => x.level === t.level && x.title.text === t.title.text && x.body.text === t.body.text && x.runId === t.runId);
    if (twin) get().dismiss(twin.id);
    const overRight = !!avoid && typeof window !== 'undefined' && avoid.right > window.innerWidth - STACK_WIDTH && avoid.bottom > window.innerHeight - STACK_HEIGHT;
    set((s) => ({ toasts: [...s.toasts.slice(-4), t], side: avoid ? (overRight ? 'left' : 'right') : s.side }));
    const ms = TOAST_MS[t.level];
    if (ms !== null) timers.set(t.id, setTimeout(() => get().dismiss(t.id), ms));
  },
  dismiss: (id) => {
    const timer = timers.get(id);
    if (timer) clearTimeout(timer);
    timers.delete(id);
    set((s) => ({ toasts: s.toasts.filter((t) => t.id !== id) }));
  },
}));

/** The control the person just used: a toast about their action must not land on top of it. */
function activeControl(): Avoid | null {
  if (typeof document === 'undefined') return null;
  const el = document.activeElement;
  if (!el || el === document.body) return null;
  const r = el.getBoundingClientRect();
  return { left: r.left, top: r.top, right: r.right, bottom: r.bottom };
}

/** Shows a toast about the user's own action (its result or its error), already worded in the user's language. */
export function localToast(level: Toast['level'], title: string, body = ''): void {
  useToasts.getState().push({ id: `local-${Date.now()}-${Math.random()}`, level, title: verbatim(title), body: verbatim(body), at: Date.now() }, activeControl());
}

export function startToastSync(): () => void {
  return followTopic('toast', {}, (t) => {
    useToasts.getState().push(t);
    if (desktop && useSettings.getState().settings?.notifications) {
      const lang = useSettings.getState().settings?.language ?? 'en';
      desktop.notify(say(lang, t.title), say(lang, t.body));
    }
  });
}
