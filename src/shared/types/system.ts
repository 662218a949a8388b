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

export type ToastLevel = 'info' | 'success' | 'warning' | 'error';

export interface Toast {
  id: string;
  level: ToastLevel;
  title: string;
  body: string;
  runId?: string;
  at: number;
}
