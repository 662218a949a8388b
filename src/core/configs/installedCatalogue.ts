/**
 * The key catalogue to validate with: the one of the LLaMA-Factory installed for the chosen llamafactory-cli (asked once
 * per Python/LLaMA-Factory/transformers version by resources/llamafactory/introspect.py, off the event loop, cached in
 * the data dir), and the bundled keys.json until that answer is in or when there is none.
 */
import { spawn } from 'node:child_process';
import { createHash } from 'node:crypto';
import { mkdirSync, readdirSync, renameSync, statSync, writeFileSync } from 'node:fs';
import { isAbsolute, join } from 'node:path';
import type { CatalogueInfo } from '../../shared/types/task.js';
import type { Settings } from '../../shared/types/settings.js';
import { which } from '../util/which.js';
import { catalogueFor, parseCatalogue, withHistory, type KeyCatalogue } from './catalogue.js';
import { cliPython, distInfo, installedSource, readHead, sitePackagesOf } from './lfInstall.js';

export interface CatalogueState {
  catalogue: KeyCatalogue;
  certainty: 'installed' | 'bundled';
  /** bundled: no LLaMA-Factory to ask; reading: asking it now; installed: its answer is in use; failed: see message. */
  status: 'bundled' | 'reading' | 'installed' | 'failed';
  python: string | null;
  message: string | null;
  info: CatalogueInfo;
}

export interface CatalogueSourceOptions {
  resourcesDir: string;
  /** Folder for the cached answers (the data dir's llamafactory-keys/). */
  cacheDir: string;
  settings(): Settings;
  env: NodeJS.ProcessEnv;
  /** Called when an installed catalogue arrives (or the attempt fails), so tasks are validated again. */
  onChange(): void;
  /** LLaMA-Factory imports torch and transformers: tens of seconds on a slow disk. */
  timeoutMs?: number;
}

const MAX_OUTPUT = 16 * 1024 * 1024;
const RETRY_FAILED_MS = 5 * 60_000;
const MEMO_MS = 3_000;

export function introspectScript(resourcesDir: string): string {
  return join(resourcesDir, 'llamafactory', 'introspect.py');
}

/** What identifies an installed version without running it: the interpreter, both versions, and an editable checkout's files. */
function installStamp(python: string): { key: string; label: string } | null {
  const sp = sitePackagesOf(python);
  const lf = distInfo(sp, 'llamafactory');
  const tf = distInfo(sp, 'transformers');
  if (!lf || !tf) return null;
  // An editable install keeps its version while `git pull` changes the dataclasses: their files' times and sizes count too.
  const src = installedSource(sp);
  const hparams = src ? join(src, 'src', 'llamafactory', 'hparams') : null;
  let files = '';
  try {
    if (hparams) files = readdirSync(hparams).sort().map((f) => { const s = statSync(join(hparams, f)); return `${f}:${s.size}:${s.mtimeMs}`; }).join(',');
  } catch {
    files = '';
  }
  const key = createHash('sha256').update(JSON.stringify([python, lf.version, tf.version, files])).digest('hex').slice(0, 20);
  return { key, label: `LLaMA-Factory ${lf.version} with transformers ${tf.version}` };
}

const info = (c: KeyCatalogue, origin: CatalogueInfo['origin']): CatalogueInfo => ({
  origin,
  llamafactory: c.llamafactory.version,
  transformers: c.transformers.version,
});

export function createCatalogueSource(opts: CatalogueSourceOptions) {
  const bundled = () => catalogueFor(opts.resourcesDir);
  const known = new Map<string, CatalogueState>();
  const running = new Set<string>();
  const failedAt = new Map<string, number>();
  let waiters: (() => void)[] = [];
  // Generous: a busy 2-core machine took 60 s to import torch + transformers + LLaMA-Factory; nothing waits on it meanwhile.
  const timeoutMs = opts.timeoutMs ?? 180_000;

  const asBundled = (status: CatalogueState['status'], python: string | null, message: string | null): CatalogueState => ({
    catalogue: bundled(),
    certainty: 'bundled',
    status,
    python,
    message,
    info: info(bundled(), 'bundled'),
  });

  function fromText(text: string, where: string, python: string): CatalogueState {
    const c = withHistory(parseCatalogue(text, where), bundled());
    return { catalogue: c, certainty: 'installed', status: 'installed', python, message: null, info: info(c, 'installed') };
  }

  function ask(python: string, key: string, label: string): void {
    running.add(key);
    const cacheFile = join(opts.cacheDir, `${key}.json`);
    const child = spawn(python, [introspectScript(opts.resourcesDir)], {
      env: { ...opts.env, DISABLE_VERSION_CHECK: '1', PYTHONUNBUFFERED: '1' },
      stdio: ['ignore', 'pipe', 'pipe'],
      timeout: timeoutMs,
      killSignal: 'SIGKILL',
    });
    const out: Buffer[] = [];
    let size = 0;
    let err = '';
    child.stdout.on('data', (b: Buffer) => {
      size += b.length;
      if (size <= MAX_OUTPUT) out.push(b);
    });
    child.stderr.on('data', (b: Buffer) => void (err = (err + b.toString('utf8')).slice(-4000)));
    const finish = (problem: string | null) => {
      running.delete(key);
      if (problem === null) {
        const text = Buffer.concat(out).toString('utf8');
        try {
          const state = fromText(text, `${label} (${python})`, python);
          mkdirSync(opts.cacheDir, { recursive: true });
          // Written whole, then renamed: a crash mid-write never leaves a half file that later reads as the catalogue.
          writeFileSync(`${cacheFile}.tmp`, text);
          renameSync(`${cacheFile}.tmp`, cacheFile);
          known.set(key, state);
        } catch (e) {
          problem = e instanceof Error ? e.message : String(e);
        }
      }
      if (problem !== null) {
        failedAt.set(key, Date.now());
        known.set(key, asBundled('failed', python, `Could not read the keys of ${label} installed for ${python}: ${problem}`));
      }
      memo = null;
      const wake = waiters;
      waiters = [];
      for (const w of wake) w();
      opts.onChange();
    };
    child.on('error', (e) => finish(e.message));
    child.on('close', (code, signal) => {
      if (signal) finish(`no answer within ${Math.round(timeoutMs / 1000)} s (${signal})`);
      else if (code !== 0) finish(`exit ${code}: ${err.trim().split('\n').at(-1) ?? ''}`);
      else if (size > MAX_OUTPUT) finish('the answer is too large');
      else finish(null);
    });
  }

  // current() runs for every task shown: the file look-ups behind it are redone at most every few seconds.
  let memo: { at: number; trainer: string; state: CatalogueState } | null = null;

  /** Never blocks: returns what is known now and starts asking when needed. */
  function current(): CatalogueState {
    const trainer = JSON.stringify(opts.settings().trainer);
    if (memo && memo.trainer === trainer && Date.now() - memo.at < MEMO_MS) return memo.state;
    const state = look();
    memo = { at: Date.now(), trainer, state };
    return state;
  }

  function look(): CatalogueState {
    const s = opts.settings();
    if (s.trainer.kind !== 'llamafactory') return asBundled('bundled', null, null);
    const cli = which(s.trainer.llamafactoryCli ?? 'llamafactory-cli', opts.env);
    if (!cli) return asBundled('bundled', null, null);
    let python = cliPython(cli);
    if (python && !isAbsolute(python)) python = which(python, opts.env);
    if (!python) return asBundled('bundled', null, `Cannot tell which Python runs ${cli} (no #! line).`);
    const stamp = installStamp(python);
    if (!stamp) return asBundled('bundled', python, `No llamafactory and transformers packages found for ${python}.`);
    const have = known.get(stamp.key);
    if (have && !(have.status === 'failed' && Date.now() - (failedAt.get(stamp.key) ?? 0) > RETRY_FAILED_MS)) return have;
    const cached = readHead(join(opts.cacheDir, `${stamp.key}.json`), MAX_OUTPUT);
    if (cached !== null) {
      try {
        const state = fromText(cached, join(opts.cacheDir, `${stamp.key}.json`), python);
        known.set(stamp.key, state);
        return state;
      } catch {
        /* a stale or foreign file: ask again */
      }
    }
    if (!running.has(stamp.key)) ask(python, stamp.key, stamp.label);
    return asBundled('reading', python, `Reading the keys of ${stamp.label} installed for ${python}…`);
  }

  /** The state once the installed LLaMA-Factory has answered (or could not): for the CLI, which can wait. */
  async function settled(): Promise<CatalogueState> {
    for (;;) {
      const s = current();
      if (s.status !== 'reading') return s;
      await new Promise<void>((resolve) => waiters.push(resolve));
    }
  }

  return { current, settled, bundled };
}

export type CatalogueSource = ReturnType<typeof createCatalogueSource>;
