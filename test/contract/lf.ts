/**
 * Contract harness: the real LLaMA-Factory found by globalSetup, a LLaMA-Factory folder of the test's own (its data/ and
 * examples/), LF's example configs shrunk to the tiny model, and the real engine (createCore) driving llamafactory-cli.
 */
import { cpSync, mkdtempSync, readFileSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { parseDocument } from 'yaml';
import { createCore, type Core } from '../../src/core/createCore.js';
import { methods, type Methods } from '../../src/shared/contract/index.js';
import type { ParamsOf, ResultOf } from '../../src/shared/rpc/define.js';
import type { Run } from '../../src/shared/types/run.js';
import { ENV_EXTRAS, ENV_PREDICT_SKIP, ENV_SKIP, ENV_VENV } from './env.js';
import { sourceTreeRuntime } from '../helpers/runtime.js';

export interface Lf {
  venv: string;
  cli: string;
  tinyModel: string;
  /** LLaMA-Factory's own tree in the venv: read-only source of data/ and examples/. */
  source: string;
}

/** The real LLaMA-Factory, or null with the reason every test of the file then gives in its name. */
export function findLf(): { lf: Lf; skip: null } | { lf: null; skip: string } {
  const venv = process.env[ENV_VENV];
  if (!venv) return { lf: null, skip: process.env[ENV_SKIP] ?? 'the contract globalSetup did not run (use --project contract)' };
  return { lf: { venv, cli: join(venv, 'bin', 'llamafactory-cli'), tinyModel: join(venv, 'tiny-qwen2'), source: join(venv, 'llamafactory') }, skip: null };
}

/** Title suffix of a skipped suite: the summary must say why nothing ran. */
export const skipNote = (skip: string | null): string => (skip ? ` (SKIPPED: ${skip})` : '');

export const predictSkip = (): string | null => (process.env[ENV_EXTRAS] ? null : (process.env[ENV_PREDICT_SKIP] ?? 'no predict packages'));

/** A user's LLaMA-Factory checkout for this test: data/ (with dataset_info.json) and examples/, copied from LF's tree. */
export function makeLfFolder(lf: Lf, prefix = 'lf-checkout-'): string {
  const dir = mkdtempSync(join(tmpdir(), prefix));
  cpSync(join(lf.source, 'data'), join(dir, 'data'), { recursive: true });
  cpSync(join(lf.source, 'examples'), join(dir, 'examples'), { recursive: true });
  return dir;
}

/**
 * One of LF's example configs made runnable on this CPU box, comments and order kept: the tiny model, warmup_steps
 * instead of warmup_ratio (transformers ≥ 5.2 dropped it), no bf16 (CPU), few steps, tiny cutoff_len, one worker, short answers.
 * Written to `<lfDir>/<name>.yaml` (a config kept at the checkout's root); returns its path.
 */
export function tinyExample(lf: Lf, lfDir: string, example: string, name: string, set: Record<string, unknown> = {}): string {
  const doc = parseDocument(readFileSync(join(lfDir, 'examples', example), 'utf8'));
  const ratio = doc.get('warmup_ratio');
  if (ratio !== undefined) {
    doc.delete('warmup_ratio');
    doc.set('warmup_steps', 1);
  }
  const base: Record<string, unknown> = {
    model_name_or_path: lf.tinyModel,
    bf16: false,
    report_to: 'none',
    max_samples: 16,
    cutoff_len: 64,
    preprocessing_num_workers: 1,
    dataloader_num_workers: 0,
    gradient_accumulation_steps: 1,
    logging_steps: 1,
    save_steps: 2,
    max_steps: 6,
    // A random tiny model never says EOS: predict and chat would generate LF's default 1024 tokens per answer.
    max_new_tokens: 16,
  };
  for (const [k, v] of Object.entries({ ...base, ...set })) {
    if (v === undefined) doc.delete(k);
    else doc.set(k, v);
  }
  const path = join(lfDir, `${name}.yaml`);
  writeFileSync(path, doc.toString());
  return path;
}

export interface Engine {
  core: Core;
  dataDir: string;
  /** A contract method, its params checked by the contract's schema as the RPC server does. */
  call<M extends keyof Methods>(method: M, params: ParamsOf<Methods[M]>): Promise<ResultOf<Methods[M]>>;
  waitForRun(pred: (r: Run) => boolean, what: string, timeoutMs?: number): Promise<Run>;
  waitForEnd(id: string, timeoutMs?: number): Promise<Run>;
  close(): Promise<void>;
}

/** The real engine in this process, with llamafactory-cli as its trainer and the LLaMA-Factory folder set. */
export async function startEngine(lf: Lf, lfDir: string, env: NodeJS.ProcessEnv = {}, dataDirPrefix = 'ty-contract-'): Promise<Engine> {
  const dataDir = mkdtempSync(join(tmpdir(), dataDirPrefix));
  const extras = process.env[ENV_EXTRAS];
  const core = createCore({
    dataDir,
    host: 'serve',
    runtime: sourceTreeRuntime(),
    env: {
      ...process.env,
      // Newer libraries than LF pins (see ../shared/llamafactory/README.md); no hub downloads on this machine.
      DISABLE_VERSION_CHECK: '1',
      HF_HUB_OFFLINE: '1',
      ...(extras ? { PYTHONPATH: extras } : {}),
      ...env,
    },
  });
  await core.start();
  const ctx = { connectionId: 'contract' };
  const call: Engine['call'] = async (method, params) => {
    const parsed: unknown = methods[method].params.parse(params);
    return (await (core.handlers[method] as (p: unknown, c: typeof ctx) => unknown)(parsed, ctx)) as never;
  };
  await call('settings.update', { trainer: { kind: 'llamafactory', llamafactoryCli: lf.cli, llamafactoryDir: lfDir } });
  const poll = async <T>(what: string, probe: () => T | null | undefined | false | Promise<T | null | undefined | false>, timeoutMs: number): Promise<T> => {
    const end = Date.now() + timeoutMs;
    for (;;) {
      const v = await probe();
      if (v) return v;
      if (Date.now() > end) throw new Error(`timed out waiting for ${what}`);
      await new Promise((r) => setTimeout(r, 250));
    }
  };
  // The composed runs.list answers asynchronously (it joins the runs of remote engines).
  const runs = async () => (await core.handlers['runs.list']({ includeApi: true }, ctx)) as Run[];
  const ended = (r: Run) => !['starting', 'running', 'stopping'].includes(r.status);
  return {
    core,
    dataDir,
    call,
    waitForRun: (pred, what, timeoutMs = 300_000) => poll(what, async () => (await runs()).find(pred), timeoutMs),
    waitForEnd: (id, timeoutMs = 600_000) =>
      poll(`run ${id} to end`, async () => (await runs()).find((r) => r.id === id && ended(r)), timeoutMs),
    close: () => core.stop(),
  };
}
