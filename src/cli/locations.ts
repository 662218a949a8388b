/** The CLI host's RuntimePaths: this package's files, found from where this file runs (the TypeScript sources or out/node). */
import { existsSync, readFileSync } from 'node:fs';
import { createRequire } from 'node:module';
import { dirname, join, resolve } from 'node:path';
import { fileURLToPath } from 'node:url';
import { runtimePaths, type RuntimePaths } from '../core/runtimePaths.js';

const self = fileURLToPath(import.meta.url);
/** Running the sources (tsx, vitest) rather than the compiled out/node copy. */
const fromSource = self.endsWith('.ts');

/** The package root: src/cli/ in the sources, out/node/src/cli/ in the build. */
export function packageRoot(): string {
  return resolve(dirname(self), ...(fromSource ? ['..', '..'] : ['..', '..', '..', '..']));
}

export function packageVersion(root = packageRoot()): string {
  try {
    return (JSON.parse(readFileSync(join(root, 'package.json'), 'utf8')) as { version?: string }).version ?? '0.0.0';
  } catch {
    return '0.0.0';
  }
}

/**
 * `serve`, `validate` and the other commands. The build's holder is out/holder (scripts/build-node.mjs emits it);
 * node-pty is resolved the way Node would, so an npm install that hoists it still works.
 * TRAINYARD_STATIC_DIR and TRAINYARD_RESOURCES_DIR point at another renderer build or resources folder.
 */
export function cliRuntime(env: NodeJS.ProcessEnv = process.env): RuntimePaths {
  const root = packageRoot();
  let nodePtyDir: string | undefined;
  try {
    nodePtyDir = dirname(createRequire(join(root, 'package.json')).resolve('node-pty/package.json'));
  } catch {
    // Not installed: the engine reports it when a run starts (the holder cannot start without it).
  }
  return runtimePaths({
    version: packageVersion(root),
    appDir: root,
    holderDir: fromSource ? join(root, 'src', 'core', 'runs', 'holder') : join(root, 'out', 'holder'),
    ...(nodePtyDir && existsSync(nodePtyDir) ? { nodePtyDir } : {}),
    ...(env.TRAINYARD_RESOURCES_DIR ? { resourcesDir: resolve(env.TRAINYARD_RESOURCES_DIR) } : {}),
    ...(env.TRAINYARD_STATIC_DIR ? { rendererDir: resolve(env.TRAINYARD_STATIC_DIR) } : {}),
  });
}
