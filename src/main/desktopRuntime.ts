/** The desktop host's RuntimePaths, from facts about the running app (no Electron import: tests call it directly). */
import { join } from 'node:path';
import { runtimePaths, type RuntimePaths } from '../core/runtimePaths.js';

export interface DesktopFacts {
  /** app.getAppPath(): <install>/resources/app.asar when packaged, the repo under `electron .`. */
  appPath: string;
  /** app.getVersion(): package.json's version. */
  version: string;
  /** process.resourcesPath: <install>/resources. */
  resourcesPath: string;
  execPath: string;
  /** Running in Electron (not the Node stand-in of test/desktop). */
  electron: boolean;
  env: NodeJS.ProcessEnv;
}

/**
 * What Electron's binary needs beside it to run as Node (ICU data, the V8 snapshot, the ffmpeg library it links):
 * copied with it when holders must not run from the app's folder. A missing one makes the copy fail its check at
 * install time, and holders then run the binary in place (src/core/runtimePaths.ts).
 */
export const ELECTRON_AS_NODE_FILES = ['icudtl.dat', 'v8_context_snapshot.bin', 'snapshot_blob.bin', 'libffmpeg.so'];

/** electron-builder packs the app into app.asar; files that must stay real go to app.asar.unpacked (asarUnpack). */
export const isPackaged = (f: Pick<DesktopFacts, 'appPath'>) => f.appPath.endsWith('.asar');

/** The AppImage runtime mounts the image at $APPDIR and unmounts it when the app exits: nothing may keep running from there. */
export function runsFromAppImage(f: Pick<DesktopFacts, 'env' | 'execPath'>): boolean {
  const dir = f.env.APPDIR;
  return !!f.env.APPIMAGE && !!dir && f.execPath.startsWith(dir.endsWith('/') ? dir : `${dir}/`);
}

/**
 * better-sqlite3 is not N-API: its binary works in one runtime only. The packaged app carries the build for the
 * runtime it ships (resources/native/, from build-electron/ at packaging time); `electron .` in the repo loads
 * build-electron/ (scripts/native-electron.mjs), and Node loads the package's own build (null).
 */
export function sqliteBindingFor(f: Pick<DesktopFacts, 'appPath' | 'resourcesPath' | 'electron'>): string | null {
  if (isPackaged(f)) return join(f.resourcesPath, 'native', 'better_sqlite3.node');
  return f.electron ? join(f.appPath, 'build-electron', 'better_sqlite3.node') : null;
}

/** What to tell the user when the engine cannot open its database driver. */
export function sqliteDriverHint(f: Pick<DesktopFacts, 'appPath'>): string {
  return isPackaged(f)
    ? 'This installation is incomplete or damaged: reinstall Trainyard.'
    : 'Build the Electron copy of the SQLite driver once with `npm run build:native-electron` (it downloads Electron’s headers), or start the app with `npm start`, which does it for you.';
}

export function desktopRuntime(f: DesktopFacts): RuntimePaths {
  const packaged = isPackaged(f);
  return runtimePaths({
    version: f.version,
    appDir: f.appPath,
    realDir: packaged ? `${f.appPath}.unpacked` : f.appPath,
    resourcesDir: packaged ? join(f.resourcesPath, 'resources') : join(f.appPath, 'resources'),
    holderNode: {
      execPath: f.execPath,
      // process.execPath is Electron's binary: this makes it behave as plain Node for the holder.
      env: f.electron ? { ELECTRON_RUN_AS_NODE: '1' } : {},
      copyWith: runsFromAppImage(f) ? ELECTRON_AS_NODE_FILES : null,
    },
    sqliteBinding: sqliteBindingFor(f),
  });
}
