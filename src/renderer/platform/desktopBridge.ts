/** The few desktop-only functions the Electron preload exposes (absent in a browser). */

export interface DesktopBridge {
  /** Resolves with the MessagePort that carries the contract to the engine in the main process. */
  connect(): Promise<MessagePort>;
  openPath(path: string): Promise<void>;
  openExternal(url: string): Promise<void>;
  pickConfigFiles(): Promise<string[]>;
  /** Absolute path of a File dropped onto the window (Electron's webUtils). */
  pathForFile(file: File): string;
  notify(title: string, body: string): void;
}

declare global {
  interface Window {
    trainyardDesktop?: DesktopBridge;
  }
}

export const desktop: DesktopBridge | null = typeof window !== 'undefined' ? (window.trainyardDesktop ?? null) : null;
