/** Issue 12 items 5–6: hostile or odd files given to import and validate are refused with a clear reason, one by one, while the engine keeps answering. */
import { execFileSync, spawnSync } from 'node:child_process';
import { randomBytes } from 'node:crypto';
import { copyFileSync, mkdtempSync, rmSync, symlinkSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import type { Methods, Topics } from '../../src/shared/contract/index.js';
import type { RpcClient } from '../../src/shared/rpc/client.js';
import { connectApi, startServe, type ServeProcess } from '../e2e/harness.js';
import { repoRoot } from '../helpers/fixtures.js';

let serve: ServeProcess;
let api: RpcClient<Methods, Topics>;
let dir: string;

const deep = 'a: ' + '['.repeat(100_000) + ']'.repeat(100_000) + '\n';
const laughs = ['a: &a ["lol","lol","lol","lol","lol","lol","lol","lol","lol"]', ...'bcdefghi'.split('').map((k, i) => `${k}: &${k} [${Array(9).fill('*' + 'abcdefghi'[i]).join(',')}]`), 'model_name_or_path: *i', ''].join('\n');
const good = join(repoRoot, 'resources', 'examples', 'support-lora.yaml');

beforeAll(async () => {
  dir = mkdtempSync(join(tmpdir(), 'trainyard-hostile-'));
  writeFileSync(join(dir, 'deep.yaml'), deep);
  writeFileSync(join(dir, 'laughs.yaml'), laughs);
  writeFileSync(join(dir, 'huge.yaml'), Buffer.alloc(50 * 1024 * 1024, 'a: 1\n'));
  writeFileSync(join(dir, 'binary.yaml'), randomBytes(1_500_000));
  execFileSync('mkfifo', [join(dir, 'fifo.yaml')]);
  symlinkSync('/etc/passwd', join(dir, 'leak.yaml'));
  symlinkSync('/dev/zero', join(dir, 'zero.yaml'));
  copyFileSync(good, join(dir, 'good.yaml'));
  serve = await startServe();
  api = await connectApi(serve);
});
afterAll(async () => {
  api?.close();
  await serve?.stop();
  rmSync(dir, { recursive: true, force: true });
});

/**
 * Runs `work` while asking /api/health every 50 ms: every answer must be 200 and come within 1 s, i.e. the hostile
 * input never holds the engine's event loop for a second (issue 12: "answered within 1 s while /api/health keeps
 * answering"). The bound is a second, hundreds of times a normal answer, so a slow machine does not make it flaky.
 */
async function whileHealthy<T>(work: Promise<T>): Promise<T> {
  let done = false;
  const answers: { status: number; ms: number }[] = [];
  const poll = (async () => {
    while (!done) {
      const t = performance.now();
      const status = (await fetch(`${serve.origin}/api/health`, { headers: { Authorization: `Bearer ${serve.token}` } })).status;
      answers.push({ status, ms: Math.round(performance.now() - t) });
      await new Promise((r) => setTimeout(r, 50));
    }
  })();
  try {
    return await work;
  } finally {
    done = true;
    await poll;
    expect(answers.length).toBeGreaterThan(0);
    expect(answers.filter((a) => a.status !== 200 || a.ms > 1000)).toEqual([]);
  }
}

const reasonFor = (skipped: { name: string; reason: string }[], name: string) => skipped.find((s) => s.name.endsWith(name))?.reason;

describe('import by path', () => {
  it('refuses each hostile file with its reason and imports the good one in the same batch', async () => {
    const names = ['deep.yaml', 'laughs.yaml', 'huge.yaml', 'binary.yaml', 'fifo.yaml', 'leak.yaml', 'zero.yaml', 'good.yaml'];
    const r = await whileHealthy(api.call('tasks.import', { paths: names.map((n) => join(dir, n)) }));
    expect(r.tasks.map((t) => t.name)).toEqual(['good']);
    expect(reasonFor(r.skipped, 'deep.yaml')).toMatch(/nested/i);
    expect(reasonFor(r.skipped, 'laughs.yaml')).toMatch(/alias/i);
    expect(reasonFor(r.skipped, 'huge.yaml')).toMatch(/2 MB/);
    expect(reasonFor(r.skipped, 'binary.yaml')).toMatch(/not text/i);
    expect(reasonFor(r.skipped, 'fifo.yaml')).toMatch(/not a regular file/i);
    expect(reasonFor(r.skipped, 'zero.yaml')).toMatch(/not a regular file/i);
    expect(reasonFor(r.skipped, 'leak.yaml')).toMatch(/link|not a LLaMA-Factory config/i);
    // Nothing of a refused file comes back to the client.
    expect(JSON.stringify(r)).not.toContain('root:x:0');
  });
});

describe('import by content (a browser drop)', () => {
  it('refuses deep nesting, aliases and binary content, keeps the good file', async () => {
    const files = [
      { name: 'deep.yaml', content: deep },
      { name: 'laughs.yaml', content: laughs },
      { name: 'binary.yaml', content: randomBytes(300_000).toString('latin1') },
      { name: 'passwd.yaml', content: 'root:x:0:0:root:/root:/bin/bash\ndaemon:x:1:1:daemon:/usr/sbin:/usr/sbin/nologin\n' },
      { name: 'good.yaml', content: (await import('node:fs')).readFileSync(good, 'utf8') },
    ];
    const r = await whileHealthy(api.call('tasks.import', { files }));
    expect(r.tasks.map((t) => t.name)).toEqual(['good (2)']);
    expect(reasonFor(r.skipped, 'deep.yaml')).toMatch(/nested/i);
    expect(reasonFor(r.skipped, 'laughs.yaml')).toMatch(/alias/i);
    expect(reasonFor(r.skipped, 'binary.yaml')).toMatch(/not text/i);
    expect(reasonFor(r.skipped, 'passwd.yaml')).toMatch(/not a LLaMA-Factory config/i);
    expect(serve.child.exitCode).toBeNull();
  });

  it('answers tasks.validateText on hostile text with an issue, not an internal error', async () => {
    const issues = await whileHealthy(api.call('tasks.validateText', { yaml: deep, name: 'deep.yaml' }));
    expect(issues[0]?.message).toMatch(/nested/i);
    const aliases = await api.call('tasks.validateText', { yaml: laughs, name: 'laughs.yaml' });
    expect(aliases.some((i) => /alias/i.test(i.message))).toBe(true);
  });
});

describe('trainyard validate', () => {
  it('reports every file, hostile ones with a reason, and reads no file past its limit', () => {
    // The good one from its own folder: its relative dataset and model paths resolve there.
    const names = [...['deep.yaml', 'laughs.yaml', 'huge.yaml', 'binary.yaml', 'fifo.yaml', 'zero.yaml'].map((n) => join(dir, n)), good];
    const r = spawnSync(process.execPath, [join(repoRoot, 'bin', 'trainyard.js'), 'validate', '--json', ...names], { encoding: 'utf8', timeout: 120_000 });
    expect(r.status, r.stderr).toBe(1);
    const reports = JSON.parse(r.stdout) as { file: string; ok: boolean; errors: { message: string }[] }[];
    const msg = (n: string) => reports.find((x) => x.file.endsWith(n))!.errors.map((e) => e.message).join(' ');
    expect(reports).toHaveLength(names.length);
    expect(msg('deep.yaml')).toMatch(/nested/i);
    expect(msg('laughs.yaml')).toMatch(/alias/i);
    expect(msg('huge.yaml')).toMatch(/2 MB/);
    expect(msg('binary.yaml')).toMatch(/not text/i);
    expect(msg('fifo.yaml')).toMatch(/not a regular file/i);
    expect(msg('zero.yaml')).toMatch(/not a regular file/i);
    expect(reports.find((x) => x.file === good)!.ok).toBe(true);
  });
});

describe('files a config points at', () => {
  it('a dataset registry or DeepSpeed file that is a pipe or a device is refused, never read', async () => {
    const data = join(dir, 'data');
    (await import('node:fs')).mkdirSync(data, { recursive: true });
    execFileSync('mkfifo', [join(data, 'dataset_info.json')]);
    const yaml = `model_name_or_path: Qwen/Qwen2.5-0.5B\nstage: sft\ndo_train: true\nfinetuning_type: lora\ndataset: x\ndataset_dir: ${data}\ndeepspeed: /dev/zero\ntemplate: qwen\noutput_dir: out\n`;
    const issues = await whileHealthy(api.call('tasks.validateText', { yaml, name: 'points-at-pipes.yaml' }));
    // Said as what they are, not as "not found" or "not valid JSON".
    const said = (key: string) => issues.filter((i) => i.key === key && i.severity === 'error').map((i) => i.message);
    expect(said('dataset_dir')).toEqual([expect.stringMatching(new RegExp(`${join(data, 'dataset_info.json')} is not a regular file`))]);
    expect(said('deepspeed')).toEqual([expect.stringMatching(/^\/dev\/zero is not a regular file/)]);
    expect(serve.child.exitCode).toBeNull();
  });
});

describe('readRegularFile', () => {
  it('refuses pipes and devices at once and caps the size', async () => {
    const { readRegularFile, readRegularFileSync, BoundedReadError } = await import('../../src/core/util/boundedRead.js');
    await expect(readRegularFile(join(dir, 'fifo.yaml'), 1000)).rejects.toMatchObject({ reason: 'not-regular' });
    expect(() => readRegularFileSync('/dev/zero', 1000)).toThrow(BoundedReadError);
    expect(() => readRegularFileSync(join(dir, 'huge.yaml'), 1000)).toThrow(/larger than/);
    expect(readRegularFileSync(good, 100_000).toString('utf8')).toContain('model_name_or_path');
  });
});
