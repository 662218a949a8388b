/** Engine-wide facts the UI shows: version, data folder, what trainers were found, and toasts. */

export interface TrainerAvailability {
  /** Path of llamafactory-cli when found (settings path or PATH), else null. */
  llamafactoryCli: string | null;
  /** The Python that can run the demo trainer (has torch), else null with why. */
  demoPython: string | null;
  demoProblem: string | null;
}

export interface SystemInfo {
  version: string;
  host: 'electron' | 'serve';
  dataDir: string;
  platform: string;
  trainers: TrainerAvailability;
  examplesDir: string;
}

import type { FailureKind } from './run.js';

export type ToastLevel = 'info' | 'success' | 'warning' | 'error';

/** What a toast is about, so the UI can word it in the user's language (title/body stay as the English fallback). */
export type ToastEvent =
  | { kind: 'run.finished'; run: string; loss: number | null }
  | { kind: 'run.failed'; run: string; failureKind: FailureKind; message: string }
  | { kind: 'run.stopped'; run: string }
  | { kind: 'webhook.refused'; run: string; url: string; status: number }
  | { kind: 'webhook.unreachable'; run: string; url: string; error: string };

export interface Toast {
  id: string;
  level: ToastLevel;
  title: string;
  body: string;
  runId?: string;
  event?: ToastEvent;
  at: number;
}
