/**
 * Builds the desktop app's unpacked layout with electron-builder itself, from electron-builder.yml, the way
 * `npm run package:linux` does — without downloading anything: the "Electron" it packs is a copy of this Node.
 */
import { copyFileSync, existsSync, linkSync, mkdirSync, readFileSync, writeFileSync } from 'node:fs';
import { join } from 'node:path';
import YAML from 'yaml';
import { repoRoot } from '../helpers/fixtures.js';

export interface BuilderYaml {
  files: string[];
  extraResources: { from: string; to: string; filter?: string[] }[];
  asarUnpack: string[];
  linux: { target: string[]; executableName: string; icon: string; category: string; syncDesktopName?: boolean; desktop?: { entry?: Record<string, string> } };
  deb: { depends?: string[] };
  mac?: unknown;
  win?: unknown;
  [key: string]: unknown;
}

export const builderYaml = (): BuilderYaml => YAML.parse(readFileSync(join(repoRoot, 'electron-builder.yml'), 'utf8')) as BuilderYaml;

export interface PackagedApp {
  /** <out>/linux-unpacked: what the deb installs to /opt/Trainyard and the AppImage mounts. */
  dir: string;
  /** Its executable: here a copy of Node standing in for Electron's binary. */
  exec: string;
  asar: string;
  resources: string;
}

/** A hard link when the file system allows (fast), else a copy. */
function place(from: string, to: string): void {
  try {
    linkSync(from, to);
  } catch {
    copyFileSync(from, to);
  }
}

/**
 * The packaged app carries the SQLite driver built for the runtime it ships (resources/native/, from
 * build-electron/): its runtime here is Node, so the Node build takes that place. Everything else comes from
 * electron-builder.yml unchanged.
 */
export async function packageApp(work: string): Promise<PackagedApp> {
  const config = builderYaml();
  const native = config.extraResources.find((r) => r.to === 'native');
  if (!native) throw new Error('electron-builder.yml has no extraResources entry for native/ (the Electron build of better-sqlite3).');
  const dist = join(work, 'electron-dist');
  mkdirSync(dist, { recursive: true });
  place(process.execPath, join(dist, 'electron'));
  writeFileSync(join(dist, 'version'), '41.7.1');
  const nodeBuild = join(work, 'native-node');
  mkdirSync(nodeBuild, { recursive: true });
  copyFileSync(join(repoRoot, 'node_modules', 'better-sqlite3', 'build', 'Release', 'better_sqlite3.node'), join(nodeBuild, 'better_sqlite3.node'));

  // A config file of its own (electron-builder would merge an object into electron-builder.yml, not replace it).
  const configFile = join(work, 'electron-builder.yml');
  const effective = {
    ...config,
    extraResources: config.extraResources.map((r) => (r === native ? { ...r, from: nodeBuild } : r)),
    electronDist: dist,
    directories: { ...(config.directories as object), output: join(work, 'release') },
  };
  writeFileSync(configFile, YAML.stringify(effective));
  const { build, Platform, Arch } = await import('electron-builder');
  await build({ projectDir: repoRoot, targets: Platform.LINUX.createTarget('dir', Arch.x64), publish: 'never', config: configFile });
  const dir = join(work, 'release', 'linux-unpacked');
  const app = { dir, exec: join(dir, config.linux.executableName), asar: join(dir, 'resources', 'app.asar'), resources: join(dir, 'resources') };
  if (!existsSync(app.asar)) throw new Error(`electron-builder wrote no ${app.asar}`);
  return app;
}
