/** The desktop app opens the control socket too: `trainyard ps` and `trainyard run --wait` reach the app's own engine. */
import { rmSync, statSync } from 'node:fs';
import { join } from 'node:path';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { runCli } from '../../src/cli/index.js';
import type { Run } from '../../src/shared/types/run.js';
import { repoRoot } from '../helpers/fixtures.js';
import { assertDesktopBuilt, killRuns, openDesktop, type DesktopApp } from './desktopApp.js';
import { demoEnv } from './runHelpers.js';

let app: DesktopApp;
const apps: DesktopApp[] = [];

async function cli(args: string[]) {
  let out = '';
  let err = '';
  const code = await runCli(args, { out: (t) => (out += t), err: (t) => (err += t), env: process.env });
  return { code, out, err };
}

beforeAll(async () => {
  assertDesktopBuilt();
  app = await openDesktop({ env: demoEnv }, apps);
}, 120_000);

afterAll(async () => {
  for (const a of apps) {
    await a.kill('SIGKILL');
    killRuns(a.dataDir);
  }
  for (const dir of new Set(apps.map((a) => a.dataDir))) rmSync(dir, { recursive: true, force: true });
});

describe('the desktop app and the CLI', () => {
  it('serves the CLI through <dataDir>/engine.sock: run --wait on the app engine, ps lists it', async () => {
    const sock = join(app.dataDir, 'engine.sock');
    expect(statSync(sock).isSocket()).toBe(true);
    expect(statSync(sock).mode & 0o777).toBe(0o600);
    const example = join(repoRoot, 'resources', 'examples', 'support-lora.yaml');
    // The app holds the data folder's engine lock: this only succeeds through the app's own engine.
    const r = await cli(['run', example, '--trainer', 'demo', '--wait', '--json', '--data-dir', app.dataDir]);
    expect(r.err).toBe('');
    expect(r.code).toBe(0);
    const [run] = JSON.parse(r.out) as Run[];
    const ps = JSON.parse((await cli(['ps', '--json', '--data-dir', app.dataDir])).out) as Run[];
    expect(ps.find((x) => x.id === run!.id)?.status).toBe('finished');
  }, 240_000);
});
