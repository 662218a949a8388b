/** The few desktop-only functions the Electron preload exposes (absent in a browser). */

export interface DesktopBridge {
  /** Asks the main process for a MessagePort to the engine; it arrives as a window 'message' event 'trainyard:port'. */
  requestPort(): void;
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

/** Resolves with the MessagePort that carries the contract to the engine in the main process. */
export function desktopPort(bridge: DesktopBridge): Promise<MessagePort> {
  return new Promise((resolve) => {
    const onMessage = (e: MessageEvent) => {
      if (e.data !== 'trainyard:port' || e.source !== window || !e.ports[0]) return;
      window.removeEventListener('message', onMessage);
      resolve(e.ports[0]);
    };
    window.addEventListener('message', onMessage);
    bridge.requestPort();
  });
}
