/** Where an installation keeps what it runs or reads at run time (holder, node-pty, resources, renderer): one value the host builds and hands to core. */
import { join } from 'node:path';

/** The program holders run on: plain Node, or Electron's binary in Node mode. */
export interface HolderNode {
  execPath: string;
  /** Added to the holder's environment (ELECTRON_RUN_AS_NODE=1 when execPath is Electron). */
  env: Record<string, string>;
  /**
   * Copy the executable (and these files beside it, when present) into the data folder and run holders from there,
   * because its folder can vanish under a live holder (an AppImage's squashfs is unmounted when the app exits).
   * null: run it in place.
   */
  copyWith: string[] | null;
}

export interface RuntimePaths {
  /** The version of this build (package.json). */
  version: string;
  /** resources/: demo trainer, examples, llamafactory/keys.json. Real files: Python runs and reads them. */
  resourcesDir: string;
  /** The folder holding holder.mjs and logWriter.mjs. Real files: a separate process runs them. */
  holderDir: string;
  /** The node-pty package folder (lib/ + its native pty.node). Real files: holders load it. */
  nodePtyDir: string;
  /** The built renderer (index.html + assets). */
  rendererDir: string;
  holderNode: HolderNode;
  /**
   * better-sqlite3's native binding to load instead of the package's own build, or null. The desktop app passes its
   * Electron-ABI build here (better-sqlite3 is not N-API, so one binary cannot serve Node and Electron).
   */
  sqliteBinding: string | null;
}

export interface InstallLayout {
  version: string;
  /** Folder whose out/ and node_modules/ hold the app's files: the repo, an npm package, or app.asar. */
  appDir: string;
  /** Where files that must be real live: app.asar.unpacked in a packaged app, else appDir. */
  realDir?: string;
  resourcesDir?: string;
  holderDir?: string;
  nodePtyDir?: string;
  rendererDir?: string;
  holderNode?: HolderNode;
  sqliteBinding?: string | null;
}

/** The layout every build shares (see docs/RUNS.md "Where holders run from"): hosts override only what differs. */
export function runtimePaths(l: InstallLayout): RuntimePaths {
  const real = l.realDir ?? l.appDir;
  return {
    version: l.version,
    resourcesDir: l.resourcesDir ?? join(l.appDir, 'resources'),
    holderDir: l.holderDir ?? join(real, 'out', 'holder'),
    nodePtyDir: l.nodePtyDir ?? join(real, 'node_modules', 'node-pty'),
    rendererDir: l.rendererDir ?? join(l.appDir, 'out', 'renderer'),
    holderNode: l.holderNode ?? { execPath: process.execPath, env: {}, copyWith: null },
    sqliteBinding: l.sqliteBinding ?? null,
  };
}
