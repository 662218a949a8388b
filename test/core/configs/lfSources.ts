/** Where tests find the real LLaMA-Factory: its source snapshot (shared tarball), its installed venv, a transformers wheel. */
import { spawnSync } from 'node:child_process';
import { existsSync, mkdirSync, mkdtempSync, readdirSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join, resolve } from 'node:path';
import { repoRoot } from '../../helpers/fixtures.js';

export const PYTHON = process.env.TRAINYARD_PYTHON ?? '/usr/bin/python3';
export const GENERATOR = resolve(repoRoot, 'scripts/gen-llamafactory-keys.py');
export const SUBSET = resolve(repoRoot, 'test/fixtures/llamafactory-subset');
export const SHARED_TARBALL = resolve(repoRoot, '../shared/llamafactory/llamafactory-ff6d4d1.tar.gz');

export type Found<T> = { ok: true; value: T } | { ok: false; why: string };

let checkout: Found<string> | null = null;
/** A LLaMA-Factory checkout at ff6d4d1 (TRAINYARD_LLAMAFACTORY_SRC, the venv's copy, or the shared tarball unpacked once). */
export function lfCheckout(): Found<string> {
  if (checkout) return checkout;
  const venv = process.env.TRAINYARD_LLAMAFACTORY_VENV;
  for (const dir of [process.env.TRAINYARD_LLAMAFACTORY_SRC, venv && join(venv, 'llamafactory')]) {
    if (dir && existsSync(join(dir, 'pyproject.toml')) && existsSync(join(dir, 'examples'))) return (checkout = { ok: true, value: dir });
  }
  if (!existsSync(SHARED_TARBALL)) return (checkout = { ok: false, why: `no LLaMA-Factory source: ${SHARED_TARBALL} is missing and TRAINYARD_LLAMAFACTORY_SRC is unset` });
  const dir = mkdtempSync(join(tmpdir(), 'ty-lfsrc-'));
  mkdirSync(dir, { recursive: true });
  const r = spawnSync('tar', ['xzf', SHARED_TARBALL, '-C', dir], { encoding: 'utf8', timeout: 120_000 });
  if (r.status !== 0) return (checkout = { ok: false, why: `cannot unpack ${SHARED_TARBALL}: ${r.stderr}` });
  return (checkout = { ok: true, value: dir });
}

/** The real LLaMA-Factory venv (../shared/llamafactory/setup.sh), with its python and editable checkout. */
export function lfVenv(): Found<{ root: string; python: string; cli: string }> {
  const root = process.env.TRAINYARD_LLAMAFACTORY_VENV;
  if (!root) return { ok: false, why: 'TRAINYARD_LLAMAFACTORY_VENV is unset (run ../shared/llamafactory/setup.sh)' };
  const python = join(root, 'bin', 'python');
  const cli = join(root, 'bin', 'llamafactory-cli');
  if (!existsSync(cli) || !existsSync(python)) return { ok: false, why: `${root} has no bin/llamafactory-cli` };
  if (!readdirSync(root).some((f) => f.startsWith('.ready-'))) return { ok: false, why: `${root} is not ready (setup.sh still running?)` };
  return { ok: true, value: { root, python, cli } };
}

/** A transformers wheel of this version from pip's configured index (the local wheel store here), or why not. */
export function transformersWheel(version: string): Found<string> {
  const dir = mkdtempSync(join(tmpdir(), 'ty-tfwheel-'));
  const r = spawnSync(PYTHON, ['-m', 'pip', 'download', `transformers==${version}`, '--no-deps', '--retries', '0', '--timeout', '15', '-d', dir], {
    encoding: 'utf8',
    timeout: 180_000,
  });
  const wheel = existsSync(dir) ? readdirSync(dir).find((f) => f.endsWith('.whl')) : undefined;
  if (r.status !== 0 || !wheel) return { ok: false, why: `pip cannot download transformers ${version} here: ${(r.stderr || r.error?.message || '').trim().split('\n').at(-1)}` };
  return { ok: true, value: join(dir, wheel) };
}

/** Runs the generator; stdout is the catalogue. */
export function generate(args: string[]): { code: number | null; out: string; err: string } {
  const r = spawnSync(PYTHON, [GENERATOR, ...args], { encoding: 'utf8', timeout: 300_000, maxBuffer: 64 * 1024 * 1024 });
  return { code: r.status, out: r.stdout, err: r.stderr };
}
