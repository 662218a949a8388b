/** Turns import requests (paths of files or folders, or dropped contents) into candidate config files, reading only regular files, within a size cap, off the event loop; with a reason for each file skipped. */
import { constants } from 'node:fs';
import { lstat, open, readdir, realpath, stat } from 'node:fs/promises';
import { basename, extname, join } from 'node:path';
import { msg, type Message } from '../../shared/messages/message.js';
import { screenConfigText } from './screenText.js';

export interface Candidate {
  name: string;
  /** Absolute path, or null for dropped content. */
  path: string | null;
  content: string;
}

/** A file an import passes over: `reason` in English (logs, the CLI), `said` for the renderer to word. */
export interface Skipped {
  name: string;
  reason: string;
  said: Message;
}

/** Why a file is not read as a config, in English and as a Message. */
export type Refusal = { reason: string; said: Message };
export const refusal = (said: Message): Refusal => ({ reason: said.text, said });

export interface Gathered {
  files: Candidate[];
  skipped: Skipped[];
}

const CONFIG_EXT = new Set(['.yaml', '.yml', '.json']);
export const MAX_CONFIG_BYTES = 2_000_000;
/** Files looked at per folder: a folder of data or checkpoints dropped by mistake must not be read whole. */
const MAX_FILES_PER_FOLDER = 2_000;

const isConfigName = (name: string) => CONFIG_EXT.has(extname(name).toLowerCase());
const errCode = (e: unknown) => (e as NodeJS.ErrnoException).code ?? String(e);
/** The OS's error code (EACCES, ELOOP) is shown as written: it is what a person searches for. */
const cannotRead = (e: unknown) => msg('config.skip.cannotRead', { code: errCode(e) });

async function configFilesIn(dir: string, depth: number, out: string[]): Promise<void> {
  let entries;
  try {
    entries = await readdir(dir, { withFileTypes: true });
  } catch {
    return;
  }
  for (const e of entries.sort((a, b) => a.name.localeCompare(b.name))) {
    if (out.length >= MAX_FILES_PER_FOLDER) return;
    if (e.name.startsWith('.')) continue;
    const p = join(dir, e.name);
    // Regular files only (Dirent does not follow links): a link or a pipe inside a dropped folder is passed over.
    if (e.isFile() && isConfigName(e.name)) out.push(p);
    // One level down: a folder of configs often groups them (train_lora/, train_full/), deeper is usually data or outputs.
    else if (e.isDirectory() && depth > 0) await configFilesIn(p, depth - 1, out);
  }
}

/** Decoded text of a config file, or why it is not one: UTF-8 as LLaMA-Factory reads it, no binary content. */
function decodeConfigBytes(buf: Buffer): { content: string } | Refusal {
  if (buf.includes(0)) return refusal(msg('config.refused.binary'));
  let content: string;
  try {
    content = new TextDecoder('utf-8', { fatal: true }).decode(buf);
  } catch {
    return refusal(msg('config.skip.notUtf8'));
  }
  const refused = screenConfigText(content);
  return refused ? refusal(refused) : { content };
}

/**
 * Reads one config file with bounds: a regular file (never a FIFO, device or socket: a read would block or not end),
 * at most MAX_CONFIG_BYTES, valid UTF-8 text. A link given directly is followed only to a regular config file, so a
 * link named `x.yaml` cannot bring another file's content into the app.
 */
export async function readConfigFile(path: string): Promise<{ content: string } | Refusal> {
  let target = path;
  try {
    if ((await lstat(path)).isSymbolicLink()) {
      target = await realpath(path);
      if (!(await stat(target)).isFile()) return refusal(msg('config.skip.linkNotRegular'));
      if (!isConfigName(target)) return refusal(msg('config.skip.linkNotConfig', { target }));
    }
  } catch (e) {
    return refusal(errCode(e) === 'ENOENT' ? msg('config.skip.notFound') : cannotRead(e));
  }
  let fh;
  try {
    // O_NONBLOCK: even the open of a FIFO returns at once (and is refused below); O_NOFOLLOW: no link swapped in since.
    fh = await open(target, constants.O_RDONLY | constants.O_NONBLOCK | constants.O_NOFOLLOW);
  } catch (e) {
    return refusal(cannotRead(e));
  }
  try {
    const st = await fh.stat();
    if (st.isDirectory()) return refusal(msg('config.skip.isFolder'));
    if (!st.isFile()) return refusal(msg('config.skip.notRegular'));
    if (st.size > MAX_CONFIG_BYTES) return refusal(msg('config.skip.tooLarge'));
    const buf = Buffer.alloc(st.size + 1);
    const { bytesRead } = await fh.read(buf, 0, buf.length, 0);
    // The file grew since fstat: still bounded by the buffer, and refused rather than cut.
    if (bytesRead > st.size && bytesRead > MAX_CONFIG_BYTES) return refusal(msg('config.skip.tooLarge'));
    return decodeConfigBytes(buf.subarray(0, bytesRead));
  } catch (e) {
    return refusal(cannotRead(e));
  } finally {
    await fh.close();
  }
}

export async function gatherPaths(paths: string[]): Promise<Gathered> {
  const out: Gathered = { files: [], skipped: [] };
  for (const p of paths) {
    let isDir: boolean;
    try {
      isDir = (await lstat(p)).isDirectory();
    } catch (e) {
      out.skipped.push({ name: p, ...refusal(cannotRead(e)) });
      continue;
    }
    const files: string[] = [];
    if (isDir) {
      await configFilesIn(p, 1, files);
      if (files.length === 0) out.skipped.push({ name: p, ...refusal(msg('config.skip.emptyFolder')) });
    } else if (!isConfigName(p)) {
      out.skipped.push({ name: p, ...refusal(msg('config.skip.notConfigName')) });
      continue;
    } else files.push(p);
    for (const f of files) {
      const r = await readConfigFile(f);
      if ('reason' in r) out.skipped.push({ name: f, reason: r.reason, said: r.said });
      else out.files.push({ name: basename(f), path: f, content: r.content });
    }
  }
  return out;
}

/** Dropped contents (a browser has no paths) pass the same screen as files read from disk. */
export function gatherDropped(files: { name: string; content: string }[]): Gathered {
  const out: Gathered = { files: [], skipped: [] };
  for (const f of files) {
    const refused = screenConfigText(f.content);
    if (refused) out.skipped.push({ name: f.name, ...refusal(refused) });
    else out.files.push({ name: basename(f.name), path: null, content: f.content });
  }
  return out;
}

/**
 * Text that does not even parse is kept as a broken task only when it looks like a config (a line starting with a key
 * LLaMA-Factory knows, or LlamaBoard's `top.`/`train.` keys): any other text file is not imported at all.
 */
export function looksLikeConfig(text: string, knownKeys: Record<string, unknown>): boolean {
  for (const m of text.matchAll(/^[ \t{,]*["']?([A-Za-z_][\w.]{0,100})["']?[ \t]*:/gm)) {
    const key = m[1]!;
    if (key in knownKeys || /^(top|train|eval)\./.test(key)) return true;
  }
  return false;
}

/** Files that parse but are not configs: dataset registries and DeepSpeed/accelerate settings travel in the same folders. */
export function notAConfig(data: Record<string, unknown>, knownKeys: Record<string, unknown>): Message | null {
  const keys = Object.keys(data);
  if (keys.length === 0) return null;
  if ('zero_optimization' in data || 'train_micro_batch_size_per_gpu' in data) return msg('config.skip.deepspeed');
  if ('compute_environment' in data || 'distributed_type' in data) return msg('config.skip.accelerate');
  const values = Object.values(data);
  if (values.every((v) => v && typeof v === 'object' && !Array.isArray(v)) && values.some((v) => ['file_name', 'hf_hub_url', 'ms_hub_url', 'columns', 'formatting'].some((k) => k in (v as object)))) {
    return msg('config.skip.datasetRegistry');
  }
  if (!keys.some((k) => k in knownKeys || /^(top|train|eval)\./.test(k))) return msg('config.skip.noKeys');
  return null;
}
