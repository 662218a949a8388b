/** Issue 12 item 3: the token is in no command line and no child's environment; the data folder and database are private to the user. */
import { chmodSync, mkdtempSync, readFileSync, rmSync, statSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { afterAll, describe, expect, it } from 'vitest';
import { createCore } from '../../src/core/createCore.js';
import { connectApi, killRunsIn, startServe, waitUntil, type ServeProcess } from '../e2e/harness.js';
import { repoRoot } from '../helpers/fixtures.js';
import { sourceTreeRuntime } from '../helpers/runtime.js';

const mode = (p: string) => statSync(p).mode & 0o777;
const started: ServeProcess[] = [];
afterAll(async () => {
  for (const s of started) {
    killRunsIn(s.dataDir);
    await s.stop();
  }
});

describe('data folder and database', () => {
  it('are created private to the user (700 and 600)', async () => {
    const parent = mkdtempSync(join(tmpdir(), 'trainyard-modes-'));
    const dataDir = join(parent, 'data');
    const core = createCore({ runtime: sourceTreeRuntime(), dataDir, host: 'serve', env: { ...process.env, TRAINYARD_NVIDIA_SMI: '/nonexistent' } });
    try {
      expect(mode(dataDir)).toBe(0o700);
      expect(mode(join(dataDir, 'trainyard.db'))).toBe(0o600);
      expect(mode(join(dataDir, 'trainyard.db-wal'))).toBe(0o600);
    } finally {
      await core.stop();
      rmSync(parent, { recursive: true, force: true });
    }
  });

  it('tighten a data folder an older version created world-readable', async () => {
    const dataDir = mkdtempSync(join(tmpdir(), 'trainyard-modes-'));
    const core1 = createCore({ runtime: sourceTreeRuntime(), dataDir, host: 'serve', env: { ...process.env, TRAINYARD_NVIDIA_SMI: '/nonexistent' } });
    await core1.stop();
    chmodSync(dataDir, 0o755);
    chmodSync(join(dataDir, 'trainyard.db'), 0o644);
    const core2 = createCore({ runtime: sourceTreeRuntime(), dataDir, host: 'serve', env: { ...process.env, TRAINYARD_NVIDIA_SMI: '/nonexistent' } });
    try {
      expect(mode(dataDir)).toBe(0o700);
      expect(mode(join(dataDir, 'trainyard.db'))).toBe(0o600);
    } finally {
      await core2.stop();
      rmSync(dataDir, { recursive: true, force: true });
    }
  });
});

describe('the token', () => {
  it('is refused on the command line', async () => {
    const { runCli } = await import('../../src/cli/index.js');
    let err = '';
    const code = await runCli(['serve', '--token', 'a'.repeat(32)], { out: () => undefined, err: (t) => (err += t), env: {} });
    expect(code).toBe(2);
    expect(err).toMatch(/--token-file/);
  });

  it('reaches neither `ps` nor the environment of holders and trainers', async () => {
    const token = 'T0ken-from-the-environment-' + 'x'.repeat(20);
    const serve = await startServe({ env: { TRAINYARD_TOKEN: token, FAKE_GPUS: '1', PATH: `${join(repoRoot, 'test/fixtures/bin')}:${process.env.PATH}` } });
    started.push(serve);
    expect(serve.token).toBe(token);
    expect(readFileSync(`/proc/${serve.child.pid}/cmdline`, 'utf8')).not.toContain(token);
    const api = await connectApi(serve);
    try {
      await api.call('settings.update', { trainer: { kind: 'llamafactory', llamafactoryCli: join(repoRoot, 'test/fixtures/bin/env-trainer') } });
      // A valid config (the bundled example); the "trainer" only prints its environment.
      const task = (await api.call('tasks.loadExamples', {})).find((t) => t.name === 'support-lora')!;
      await api.call('board.enqueue', { taskId: task.id, lane: 'auto' });
      const run = await waitUntil('the run to start', async () => (await api.call('runs.list', {})).find((r) => r.pid), 60_000);
      const log = join(run.runDir, 'console.log');
      await waitUntil('the trainer to print its environment', async () => readFileSync(log, 'utf8').includes('ENV-TRAINER-READY'), 60_000);
      expect(readFileSync(log, 'utf8')).toContain('MASTER_PORT=');
      expect(readFileSync(log, 'utf8')).not.toContain(token);
      const holder = JSON.parse(readFileSync(join(run.runDir, 'holder.json'), 'utf8')) as { holderPid: number };
      expect(readFileSync(`/proc/${holder.holderPid}/environ`, 'utf8')).not.toContain(token);
      expect(readFileSync(`/proc/${serve.child.pid}/environ`, 'utf8')).toContain(token); // it was there to begin with
      await api.call('runs.stop', { id: run.id });
    } finally {
      api.close();
    }
  });
});
