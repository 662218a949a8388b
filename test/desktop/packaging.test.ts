/** electron-builder.yml against what the code and the platforms need: deb dependencies, icons, desktop entry, targets, real files, version. */
import { readFileSync } from 'node:fs';
import { createRequire } from 'node:module';
import { join } from 'node:path';
import { describe, expect, it } from 'vitest';
import { runCli } from '../../src/cli/index.js';
import { desktopRuntime } from '../../src/main/desktopRuntime.js';
import { repoRoot } from '../helpers/fixtures.js';
import { builderYaml } from './packageApp.js';

const yaml = builderYaml();
const pkg = JSON.parse(readFileSync(join(repoRoot, 'package.json'), 'utf8')) as { version: string; main: string };

/** electron-builder's own default deb dependencies, read from its source (app-builder-lib FpmTarget). */
function electronBuilderDefaultDepends(): string[] {
  const FpmTarget = (createRequire(import.meta.url)('app-builder-lib/out/targets/FpmTarget.js') as { default: { prototype: object } }).default;
  const fn = (FpmTarget.prototype as { getDefaultDepends(target: string): string[] }).getDefaultDepends;
  return fn.call(null, 'deb');
}

/** Width and height from a PNG's IHDR chunk. */
function pngSize(file: string): [number, number] {
  const b = readFileSync(file);
  expect(b.subarray(1, 4).toString('latin1')).toBe('PNG');
  return [b.readUInt32BE(16), b.readUInt32BE(20)];
}

describe('electron-builder.yml', () => {
  it('gives the deb every dependency electron-builder would, plus what Electron links beyond them', () => {
    const defaults = electronBuilderDefaultDepends();
    expect(defaults).toContain('libgtk-3-0');
    // `depends` replaces the default list (FpmTarget: customDepends = options.depends): it must repeat all of it.
    const effective = yaml.deb.depends ?? defaults;
    for (const d of defaults) expect(effective, d).toContain(d);
    expect(effective).toContain('libgbm1');
    expect(effective.some((d) => d.startsWith('libasound2'))).toBe(true);
  });

  it('builds Linux AppImage and deb only (the engine needs /proc, Unix sockets and SIGABRT)', () => {
    expect(yaml.linux.target).toEqual(['AppImage', 'deb']);
    expect(yaml.mac).toBeUndefined();
    expect(yaml.win).toBeUndefined();
  });

  it('ships icons at every size desktops ask for, a category and a desktop entry', () => {
    const dir = join(repoRoot, 'resources', 'build', yaml.linux.icon);
    for (const n of [16, 24, 32, 48, 64, 128, 256, 512]) expect(pngSize(join(dir, `${n}x${n}.png`)), `${n}x${n}.png`).toEqual([n, n]);
    expect(yaml.linux.category).toBe('Development');
    expect(yaml.linux.desktop?.entry?.Keywords).toContain('LLaMA-Factory');
    // Electron names the window (WM_CLASS / app_id, the launcher badge) after desktopName: it must be the entry's name.
    expect((yaml.extraMetadata as { desktopName: string }).desktopName).toBe(`${yaml.linux.executableName}.desktop`);
    expect(yaml.linux.syncDesktopName).toBe(true);
  });

  it('packs every path RuntimePaths names for the packaged app as a real file (asarUnpack or extraResources)', () => {
    const install = '/opt/Trainyard';
    const rt = desktopRuntime({ appPath: `${install}/resources/app.asar`, version: pkg.version, resourcesPath: `${install}/resources`, execPath: `${install}/trainyard`, electron: true, env: {} });
    const unpackedRoot = `${install}/resources/app.asar.unpacked/`;
    for (const dir of [rt.holderDir, rt.nodePtyDir]) {
      expect(dir.startsWith(unpackedRoot), dir).toBe(true);
      const rel = dir.slice(unpackedRoot.length);
      expect(yaml.asarUnpack, rel).toContain(`${rel}/**`);
      expect(yaml.files.some((f) => f === `${rel}/**` || rel.startsWith('node_modules/')), rel).toBe(true);
    }
    const extra = (p: string) => yaml.extraResources.find((r) => p.startsWith(`${install}/resources/${r.to}/`) || p === `${install}/resources/${r.to}`);
    expect(extra(rt.resourcesDir)?.from).toBe('resources');
    expect(extra(rt.sqliteBinding!)?.from).toBe('build-electron');
    expect(extra(rt.sqliteBinding!)?.filter).toContain('better_sqlite3.node');
    expect(pkg.main).toBe('out/main/index.js');
  });
});

describe('the version', () => {
  it('is package.json’s for `trainyard --version`', async () => {
    let out = '';
    const code = await runCli(['--version'], { out: (t) => void (out += t), err: () => undefined, env: {} });
    expect(code).toBe(0);
    expect(out).toBe(`trainyard ${pkg.version}\n`);
  });
});
