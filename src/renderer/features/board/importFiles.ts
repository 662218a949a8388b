/** Turns dropped or picked files (and folders) into a tasks.import call: paths in Electron, contents in a browser. */
import { msg, type Message } from '../../../shared/messages/message.js';
import type { ImportSkip, Task } from '../../../shared/types/task.js';
import { desktop } from '../../platform/desktopBridge.js';
import { useTasks } from '../../stores/tasks.js';

/** The contract's per-file cap; bigger files are skipped here with a reason rather than failing the whole import. */
const MAX_BYTES = 2_000_000;
const MAX_FILES = 500;
/** Config files LLaMA-Factory reads (and LlamaBoard's saved state); data files in a dropped folder are left alone. */
const CONFIG_EXT = /\.(ya?ml|json)$/i;

export interface Gathered {
  paths: string[];
  files: { name: string; content: string }[];
  skipped: ImportSkip[];
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
  // The engine's own skip reasons (the same catalogue codes as its import), so both read alike in either language.
  const skip = (name: string, said: Message) => g.skipped.push({ name, reason: said.text, said });
  for (const { file, name, inFolder } of list) {
    if (!CONFIG_EXT.test(name)) {
      if (!inFolder) skip(name, msg('config.skip.notConfigName'));
      continue;
    }
    if (g.files.length >= MAX_FILES) skip(name, msg('config.skip.tooMany', { max: MAX_FILES }));
    else if (file.size > MAX_BYTES) skip(name, msg('config.skip.tooLarge'));
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

/**
 * Imports what was gathered and returns the tasks themselves (a drop onto a GPU card queues them there); the
 * library shows the result like any import.
 */
export async function importTasks(g: Gathered): Promise<Task[]> {
  return useTasks.getState().importTasks(g);
}
