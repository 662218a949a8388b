/** The one logger and "Copy diagnostics": rotating engine.log in the data folder, levels, and a report with secrets masked, through a real core. */
import { mkdtempSync, readFileSync, rmSync, statSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { afterAll, describe, expect, it } from 'vitest';
import { createCore } from '../../../src/core/createCore.js';
import { LOG_ROTATE_BYTES, logger, logTo } from '../../../src/core/log/logger.js';
import { logTail } from '../../../src/core/services/diagnostics.js';
import { sourceTreeRuntime } from '../../helpers/runtime.js';

const dirs: string[] = [];
const tempDir = () => {
  const d = mkdtempSync(join(tmpdir(), 'trainyard-log-'));
  dirs.push(d);
  return d;
};
afterAll(() => {
  logTo(null);
  for (const d of dirs) rmSync(d, { recursive: true, force: true });
});

describe('logger', () => {
  it('writes levelled lines with the scope and the error stack, private to the user, and drops lines below the level', () => {
    const file = join(tempDir(), 'engine.log');
    logTo(file, { level: 'info', mirror: false });
    const log = logger('gpu');
    log.debug('not written');
    log.info('stream started');
    log.error('snapshot listener failed', new Error('boom'));
    const text = readFileSync(file, 'utf8');
    expect(text).not.toContain('not written');
    expect(text).toMatch(/^\d{4}-\d\d-\d\dT[\d:.]+Z INFO {2}\[gpu\] stream started\n/);
    expect(text).toMatch(/ERROR \[gpu\] snapshot listener failed\n {2}Error: boom\n {2}\s*at /);
    expect(statSync(file).mode & 0o777).toBe(0o600);
  });

  it('rotates past the size limit and keeps two older files, so the log never grows without bound', () => {
    const file = join(tempDir(), 'engine.log');
    logTo(file, { mirror: false });
    const log = logger('runs');
    const line = 'x'.repeat(1000);
    for (let i = 0; i < (LOG_ROTATE_BYTES / 1000) * 3.5; i++) log.info(`${i} ${line}`);
    for (const f of [file, `${file}.1`, `${file}.2`]) expect(statSync(f).size).toBeLessThanOrEqual(LOG_ROTATE_BYTES);
    expect(() => statSync(`${file}.3`)).toThrow();
    // The tail reaches back into the rotated file when the current one is short, and starts at a whole line.
    const tail = logTail(file, 2 * 1024 * 1024);
    expect(tail.length).toBeGreaterThan(1.9 * 1024 * 1024);
    expect(tail).toMatch(/^\d{4}-/);
  });

  it('keeps the engine going when the log cannot be written (a deleted folder, a full disk)', () => {
    logTo(join(tempDir(), 'gone', 'engine.log'), { mirror: false });
    expect(() => logger('x').error('still fine')).not.toThrow();
  });
});

describe('system.diagnostics', () => {
  it('bundles versions, settings with the webhook secret masked, the GPUs and the engine log of a real core', async () => {
    const dataDir = join(tempDir(), 'data');
    const core = createCore({ runtime: sourceTreeRuntime(), dataDir, host: 'serve', env: { ...process.env, TRAINYARD_NVIDIA_SMI: '/nonexistent' } });
    try {
      await core.handlers['settings.update']({ webhookUrl: 'https://hooks.slack.com/services/T000/B000/SECRETKEY' }, { connectionId: 't' });
      logger('test').warn('a line the report must carry');
      const { text } = await core.handlers['system.diagnostics']({}, { connectionId: 't' });
      expect(text).toContain('## Versions');
      expect(text).toContain(`"node": "${process.versions.node}"`);
      expect(text).toContain('<masked: hooks.slack.com>');
      expect(text).not.toContain('SECRETKEY');
      expect(text).toContain('## GPUs');
      expect(text).toContain('[test] a line the report must carry');
      expect(readFileSync(join(dataDir, 'engine.log'), 'utf8')).toContain('a line the report must carry');
    } finally {
      await core.stop();
    }
  }, 60_000);
});
