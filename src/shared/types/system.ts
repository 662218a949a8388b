/** Engine-wide facts the UI shows: version, data folder, what trainers were found, and toasts. */
import type { Message } from '../messages/message.js';

export interface TrainerAvailability {
  /** Path of llamafactory-cli when found (settings path or PATH), else null. */
  llamafactoryCli: string | null;
  /** The Python that can run the demo trainer (has torch), else null with why. */
  demoPython: string | null;
  /** The Python whose `import torch` has not answered yet (demoPython and demoProblem are null meanwhile), else null. */
  demoChecking: string | null;
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

export type ToastLevel = 'info' | 'success' | 'warning' | 'error';

export interface Toast {
  id: string;
  level: ToastLevel;
  /** Worded by the renderer in the user's language; `text` is the English for logs and older UIs. */
  title: Message;
  body: Message;
  runId?: string;
  at: number;
}
