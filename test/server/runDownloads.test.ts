/** A run's files over serve: log, config, predictions and the adapter or a checkpoint as tar, each only with the token or its own ticket; links, FIFOs and subfolders never go into an archive. */
import { spawnSync } from 'node:child_process';
import { randomFillSync } from 'node:crypto';
import { mkdirSync, mkdtempSync, readFileSync, rmSync, symlinkSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { openDb } from '../../src/core/store/db.js';
import { createRunsRepo, type StoredRun } from '../../src/core/store/runsRepo.js';
import { startServer, type RunningServer } from '../../src/server/serve.js';
import { folderEntries, tarHeader } from '../../src/server/tarStream.js';
import { repoRoot } from '../helpers/fixtures.js';
import { sourceTreeRuntime } from '../helpers/runtime.js';

let server: RunningServer;
const dataDir = mkdtempSync(join(tmpdir(), 'trainyard-dl-'));
const out = join(dataDir, 'out');
const runDir = join(dataDir, 'runs', 'run_dl');
const weights = Buffer.alloc(70_001);
randomFillSync(weights);

function storedRun(): StoredRun {
  return {
    id: 'run_dl', name: 'support lora', kind: 'train', taskId: null, sweepId: null, parentRunId: null, status: 'finished', gpuIndices: [0],
    gpuUuids: ['GPU-a'], outputDir: out, runDir, configPath: join(runDir, 'config.yaml'), workDir: dataDir, argv: [], env: {}, masterPort: null,
    pid: null, holderPid: null, exitCode: 0, signal: null, failure: null, estimateMiB: null, peakMiB: null, progress: null, tags: [], notes: '',
    createdAt: 1000, startedAt: 1000, endedAt: 2000,
  };
}

beforeAll(async () => {
  mkdirSync(join(out, 'checkpoint-10'), { recursive: true });
  mkdirSync(runDir, { recursive: true });
  writeFileSync(join(runDir, 'config.yaml'), 'stage: sft\nfinetuning_type: lora\n');
  writeFileSync(join(runDir, 'console.log'), 'Running training\n');
  writeFileSync(join(out, 'adapter_model.safetensors'), weights);
  writeFileSync(join(out, 'adapter_config.json'), '{"r": 8}');
  writeFileSync(join(out, 'generated_predictions.jsonl'), '{"predict": "hi", "label": "hi"}\n');
  writeFileSync(join(out, 'checkpoint-10', 'adapter_model.safetensors'), 'ckpt');
  // What must never leave the machine through an archive: a link to elsewhere, a FIFO (a read would block).
  symlinkSync('/etc/passwd', join(out, 'passwd-link'));
  spawnSync('mkfifo', [join(out, 'a-fifo')]);
  symlinkSync('/etc', join(out, 'checkpoint-20'));
  const db = openDb(join(dataDir, 'trainyard.db'));
  createRunsRepo(db).save(storedRun());
  db.close();
  server = await startServer({ runtime: sourceTreeRuntime(), port: 0, host: '127.0.0.1', dataDir, staticDir: join(repoRoot, 'out', 'renderer'), env: { ...process.env, TRAINYARD_NVIDIA_SMI: '/nonexistent' } });
});
afterAll(async () => {
  await server?.close();
  rmSync(dataDir, { recursive: true, force: true });
});

const base = () => `http://127.0.0.1:${server.port}`;
const bearer = () => ({ Authorization: `Bearer ${server.token}` });
async function ticketed(path: string): Promise<Response> {
  const t = await fetch(`${base()}/api/ticket?path=${encodeURIComponent(path)}`, { headers: bearer() });
  expect(t.status, path).toBe(200);
  const { url } = (await t.json()) as { url: string };
  return fetch(base() + url);
}

/** Lists a tar with the system's tar: the archive must be one that real tools read. */
function tarList(buf: Buffer): { names: string[]; dir: string } {
  const dir = mkdtempSync(join(tmpdir(), 'trainyard-untar-'));
  writeFileSync(join(dir, 'a.tar'), buf);
  const r = spawnSync('tar', ['-xf', 'a.tar', '-C', dir], { cwd: dir, encoding: 'utf8' });
  expect(r.stderr).toBe('');
  const l = spawnSync('tar', ['-tf', join(dir, 'a.tar')], { encoding: 'utf8' });
  return { names: l.stdout.trim().split('\n'), dir };
}

const PATHS = ['log', 'config', 'predictions', 'adapter', 'adapter/checkpoint-10'].map((p) => `/api/runs/run_dl/${p}`);

describe('run downloads over serve', () => {
  it('refuses every download without the token, with a wrong one, and with another path’s ticket', async () => {
    for (const p of PATHS) {
      expect((await fetch(base() + p)).status, p).toBe(401);
      expect((await fetch(base() + p, { headers: { Authorization: `Bearer ${'x'.repeat(48)}` } })).status, p).toBe(401);
    }
    const t = await fetch(`${base()}/api/ticket?path=${encodeURIComponent(PATHS[0]!)}`, { headers: bearer() });
    const { url } = (await t.json()) as { url: string };
    expect((await fetch(base() + url.replace('/log?', '/adapter?'))).status).toBe(401);
    // A ticket is signed only for a download route.
    expect((await fetch(`${base()}/api/ticket?path=${encodeURIComponent('/api/runs/run_dl/adapter/../../x')}`, { headers: bearer() })).status).toBe(400);
  });

  it('serves the log, the exact config and the predictions as attachments', async () => {
    const config = await ticketed('/api/runs/run_dl/config');
    expect(await config.text()).toBe('stage: sft\nfinetuning_type: lora\n');
    expect(config.headers.get('content-disposition')).toBe('attachment; filename="support_lora.yaml"');
    expect(await (await ticketed('/api/runs/run_dl/log')).text()).toBe('Running training\n');
    const preds = await ticketed('/api/runs/run_dl/predictions');
    expect(await preds.text()).toContain('"predict": "hi"');
  });

  it('streams the adapter folder as a tar of its own regular files: no link, FIFO or subfolder', async () => {
    const r = await ticketed('/api/runs/run_dl/adapter');
    expect(r.headers.get('content-type')).toBe('application/x-tar');
    const { names, dir } = tarList(Buffer.from(await r.arrayBuffer()));
    expect(names).toEqual([
      'support_lora-adapter/adapter_config.json',
      'support_lora-adapter/adapter_model.safetensors',
      'support_lora-adapter/generated_predictions.jsonl',
    ]);
    expect(readFileSync(join(dir, 'support_lora-adapter', 'adapter_model.safetensors')).equals(weights)).toBe(true);
  });

  it('streams one checkpoint, and refuses a checkpoint that is a link', async () => {
    const r = await ticketed('/api/runs/run_dl/adapter/checkpoint-10');
    const { names } = tarList(Buffer.from(await r.arrayBuffer()));
    expect(names).toEqual(['support_lora-checkpoint-10/adapter_model.safetensors']);
    expect((await ticketed('/api/runs/run_dl/adapter/checkpoint-20')).status).toBe(404);
    expect((await ticketed('/api/runs/run_missing/adapter')).status).toBe(404);
  });
});

describe('tar pieces', () => {
  it('lists only regular files and writes a valid ustar header, base-256 past 8 GiB', async () => {
    expect((await folderEntries(out))!.map((e) => e.name)).not.toContain('passwd-link');
    expect(await folderEntries(join(out, 'checkpoint-20'))).toBeNull();
    const h = tarHeader('p', 'n', 9 * 1024 ** 3, 0);
    expect(h[124]).toBe(0x80);
    expect(h.subarray(257, 262).toString()).toBe('ustar');
  });
});
