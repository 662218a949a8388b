/** The tiny bridge: gives the page its MessagePort to the engine and a few desktop-only functions. Nothing else. */
import { contextBridge, ipcRenderer, webUtils } from 'electron';

contextBridge.exposeInMainWorld('trainyardDesktop', {
  /** The port arrives in this isolated world and crosses into the page through window.postMessage (contextBridge cannot carry ports). */
  requestPort: () => {
    ipcRenderer.once('trainyard:port', (event) => window.postMessage('trainyard:port', '*', event.ports));
    ipcRenderer.send('trainyard:connect');
  },
  openPath: (path: string) => ipcRenderer.invoke('trainyard:openPath', path),
  openExternal: (url: string) => ipcRenderer.invoke('trainyard:openExternal', url),
  pickConfigFiles: () => ipcRenderer.invoke('trainyard:pickConfigFiles') as Promise<string[]>,
  pathForFile: (file: File) => webUtils.getPathForFile(file),
  notify: (title: string, body: string) => ipcRenderer.send('trainyard:notify', title, body),
});
