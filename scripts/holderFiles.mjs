/** The run holder as a build output: every build copies src/core/runs/holder/*.mjs to out/holder/ (RuntimePaths.holderDir). */
import { cpSync, mkdirSync, readdirSync, rmSync } from 'node:fs';
import { join } from 'node:path';

/** Relative to the package root: where builds put the holder, and what electron-builder.yml must unpack from app.asar. */
export const holderOutDir = 'out/holder';

/**
 * The holder runs as its own process, so it is never bundled: its plain .mjs files are copied as they are (the
 * holder must not import engine code; docs/RUNS.md). Returns the file names written.
 */
export function emitHolder(root) {
  const from = join(root, 'src', 'core', 'runs', 'holder');
  const to = join(root, holderOutDir);
  rmSync(to, { recursive: true, force: true });
  mkdirSync(to, { recursive: true });
  const names = readdirSync(from).filter((n) => n.endsWith('.mjs'));
  for (const n of names) cpSync(join(from, n), join(to, n));
  if (!names.includes('holder.mjs')) throw new Error(`No holder.mjs in ${from}.`);
  return names;
}
