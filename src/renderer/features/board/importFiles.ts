/** Turns dropped or picked files (and folders) into a tasks.import call: paths in Electron, contents in a browser. */
import { desktop } from '../../platform/desktopBridge.js';

/** The contract's per-file cap; bigger files are skipped here with a reason rather than failing the whole import. */
const MAX_BYTES = 2_000_000;
const MAX_FILES = 500;
/** Config files LLaMA-Factory reads (and LlamaBoard's saved state); data files in a dropped folder are left alone. */
const CONFIG_EXT = /\.(ya?ml|json)$/i;

export interface Gathered {
  paths: string[];
  files: { name: string; content: string }[];
  skipped: { name: string; reason: string }[];
}

interface Picked {
  file: File;
  name: string;
  /** Inside a dropped folder: other files (datasets, notes) are passed over silently. */
  inFolder: boolean;
}

/** Walks a dropped folder (browser FileSystem entries) into files with their relative names. */
async function walk(entry: FileSystemEntry, out: Picked[]): Promise<void> {
  if (entry.isFile) {
    const file = await new Promise<File>((res, rej) => (entry as FileSystemFileEntry).file(res, rej));
    out.push({ file, name: entry.fullPath.replace(/^\//, ''), inFolder: true });
    return;
  }
  const reader = (entry as FileSystemDirectoryEntry).createReader();
  // readEntries answers in batches (100 in Chromium) until it returns an empty one.
  for (;;) {
    const batch = await new Promise<FileSystemEntry[]>((res, rej) => reader.readEntries(res, rej));
    if (batch.length === 0) break;
    for (const e of batch) await walk(e, out);
  }
}

async function readAll(list: Picked[]): Promise<Gathered> {
  const g: Gathered = { paths: [], files: [], skipped: [] };
  for (const { file, name, inFolder } of list) {
    if (!CONFIG_EXT.test(name)) {
      if (!inFolder) g.skipped.push({ name, reason: 'not a YAML or JSON config file' });
      continue;
    }
    if (g.files.length >= MAX_FILES) g.skipped.push({ name, reason: `more than ${MAX_FILES} files in one import` });
    else if (file.size > MAX_BYTES) g.skipped.push({ name, reason: `larger than ${MAX_BYTES / 1e6} MB; a config is much smaller` });
    else g.files.push({ name, content: await file.text() });
  }
  return g;
}

/** Files from a drop on the window. In Electron the engine reads them (folders included) by path. */
export async function gatherDrop(dt: DataTransfer): Promise<Gathered> {
  if (desktop) {
    const paths = [...dt.files].map((f) => desktop!.pathForFile(f)).filter(Boolean);
    return { paths, files: [], skipped: [] };
  }
  // Entries must be taken synchronously, before the first await: the DataTransfer empties after the event.
  const entries = [...dt.items].map((i) => (i.kind === 'file' ? i.webkitGetAsEntry?.() : null));
  const plain = [...dt.files];
  const list: Picked[] = [];
  for (let i = 0; i < plain.length; i++) {
    const entry = entries[i];
    if (entry?.isDirectory) await walk(entry, list);
    else list.push({ file: plain[i]!, name: plain[i]!.name, inFolder: false });
  }
  return readAll(list);
}

/** Files from the browser's file input (folders arrive flattened with webkitRelativePath). */
export function gatherPicked(files: FileList): Promise<Gathered> {
  return readAll([...files].map((file) => ({ file, name: file.webkitRelativePath || file.name, inFolder: !!file.webkitRelativePath })));
}
