/**
 * Contract suite setup: finds the real LLaMA-Factory (a venv made by ../shared/llamafactory/setup.sh) and the packages its
 * predict needs, and hands the result to the test files through the environment (workers inherit it). When there is no
 * LLaMA-Factory to be had here, every contract test skips and its name says why.
 */
import { spawnSync } from 'node:child_process';
import { cpSync, existsSync, mkdirSync, rmSync, symlinkSync } from 'node:fs';
import { dirname, join, resolve } from 'node:path';
import { fileURLToPath } from 'node:url';
import { setup as tagThisRun, teardown as killTagged } from '../e2e/globalSetup.js';
import { ENV_EXTRAS, ENV_PREDICT_SKIP, ENV_SKIP, ENV_VENV } from './env.js';

const repoRoot = resolve(dirname(fileURLToPath(import.meta.url)), '../..');

function findVenv(): { venv: string } | { skip: string } {
  const given = process.env.TRAINYARD_LLAMAFACTORY_VENV;
  if (given) {
    if (existsSync(join(given, 'bin', 'llamafactory-cli'))) return { venv: resolve(given) };
    return { skip: `TRAINYARD_LLAMAFACTORY_VENV=${given} has no bin/llamafactory-cli` };
  }
  const setup = process.env.TRAINYARD_LLAMAFACTORY_SETUP ?? resolve(repoRoot, '..', 'shared', 'llamafactory', 'setup.sh');
  if (!existsSync(setup)) return { skip: `no LLaMA-Factory setup script at ${setup}` };
  const venv = join(repoRoot, '.cache', 'llamafactory');
  console.log(`[contract] setting up LLaMA-Factory in ${venv} (minutes the first time)…`);
  // Minutes on a cold machine (pip from the local wheel store, the tiny model); instant once .ready exists.
  const r = spawnSync('bash', [setup, venv], { encoding: 'utf8', timeout: 30 * 60_000, stdio: ['ignore', 'pipe', 'pipe'] });
  const why = `${r.stderr ?? ''}${r.stdout ?? ''}`.trim().split('\n').filter(Boolean).at(-1) ?? '';
  // Exit 3 is setup.sh's "this machine cannot have it" (no local wheel store, no Python ≥ 3.11).
  if (r.status === 3) return { skip: `LLaMA-Factory cannot be set up on this machine: ${why}` };
  if (r.status !== 0) throw new Error(`${setup} failed (exit ${r.status ?? r.signal ?? r.error?.message}):\n${r.stderr}`);
  return { venv };
}

/**
 * predict_with_generate makes LLaMA-Factory require jieba, nltk and rouge_chinese (hparams/parser.py:303-306 at
 * ff6d4d1). They go into a folder of their own on the trainer's PYTHONPATH, not into the venv: nltk from the local wheel
 * store, jieba from Debian's python3-jieba, rouge_chinese from the stand-in under test/contract/python (not packaged here).
 */
function predictExtras(venv: string): { dir: string } | { skip: string } {
  const dir = join(repoRoot, '.cache', 'lf-predict-extras');
  const py = join(venv, 'bin', 'python');
  const has = (mod: string) => spawnSync(py, ['-c', `import ${mod}`], { env: { ...process.env, PYTHONPATH: dir }, timeout: 120_000 }).status === 0;
  mkdirSync(dir, { recursive: true });
  if (!has('nltk.translate.bleu_score')) {
    const r = spawnSync(
      join(venv, 'bin', 'pip'),
      ['install', '-q', '--no-deps', '--target', dir, '--index-url', 'file:///opt/pypi/simple', '--extra-index-url', 'file:///opt/pypi-more/simple', 'nltk', 'regex', 'click', 'joblib', 'defusedxml'],
      { encoding: 'utf8', timeout: 10 * 60_000 },
    );
    if (r.status !== 0) return { skip: `nltk could not be installed from the local wheel store: ${(r.stderr ?? '').trim().split('\n').at(-1)}` };
  }
  const debian = '/usr/lib/python3/dist-packages';
  if (!existsSync(join(debian, 'jieba'))) {
    spawnSync('apt-get', ['install', '-y', '-qq', 'python3-jieba'], { env: { ...process.env, DEBIAN_FRONTEND: 'noninteractive' }, timeout: 10 * 60_000 });
  }
  if (!existsSync(join(debian, 'jieba'))) return { skip: "jieba is not installed (Debian's python3-jieba)" };
  for (const name of ['jieba', 'jieba-0.42.1.egg-info']) {
    if (existsSync(join(debian, name)) && !existsSync(join(dir, name))) symlinkSync(join(debian, name), join(dir, name));
  }
  for (const name of ['rouge_chinese', 'rouge_chinese-1.0.3.dist-info']) {
    rmSync(join(dir, name), { recursive: true, force: true });
    cpSync(join(repoRoot, 'test', 'contract', 'python', name), join(dir, name), { recursive: true });
  }
  for (const mod of ['jieba', 'nltk.translate.bleu_score', 'rouge_chinese']) if (!has(mod)) return { skip: `${mod} does not import for LLaMA-Factory's Python` };
  return { dir };
}

export function setup(): void {
  tagThisRun();
  const found = findVenv();
  if ('skip' in found) {
    process.env[ENV_SKIP] = found.skip;
    console.log(`[contract] every LLaMA-Factory contract test skips: ${found.skip}`);
    return;
  }
  process.env[ENV_VENV] = found.venv;
  const extras = predictExtras(found.venv);
  if ('skip' in extras) process.env[ENV_PREDICT_SKIP] = extras.skip;
  else process.env[ENV_EXTRAS] = extras.dir;
}

/**
 * Runs and API servers outlive their engine on purpose: e2e's teardown kills every process this test run tagged. A run
 * that skipped says why once more, after the summary, where a reader of the test output looks.
 */
export function teardown(): void {
  killTagged();
  if (process.env[ENV_SKIP]) console.log(`[contract] SKIPPED every LLaMA-Factory contract test: ${process.env[ENV_SKIP]}`);
}
