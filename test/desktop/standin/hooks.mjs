/**
 * Module hooks of the stand-in: `electron` resolves to the stand-in, and the main bundle is read from inside
 * app.asar the way Electron reads its main process. Files electron-builder unpacked (app.asar.unpacked) load from
 * disk as they are; a package left packed inside the archive is refused with the reason, since only Electron's own
 * loader can run CommonJS from an archive. Child processes get none of this: for them app.asar is one file.
 */
import { isBuiltin } from 'node:module';
import { fileURLToPath, pathToFileURL } from 'node:url';
import { asarEntry, readAppFile, realPath, splitAsar } from './appFiles.mjs';

const standinURL = new URL('./electron.mjs', import.meta.url).href;

const inAsar = (url) => url?.startsWith('file:') && splitAsar(fileURLToPath(url)) !== null;

/** A package name from a bare specifier: `pkg/sub` → `pkg`, `@scope/pkg/sub` → `@scope/pkg`. */
const packageName = (s) => s.split('/').slice(0, s.startsWith('@') ? 2 : 1).join('/');

export async function resolve(specifier, context, next) {
  if (specifier === 'electron') return { url: standinURL, shortCircuit: true };
  if (isBuiltin(specifier)) return next(specifier, context);
  if (/^(\.|\/|file:)/.test(specifier)) {
    const url = new URL(specifier, context.parentURL ?? pathToFileURL(`${process.cwd()}/`));
    if (!inAsar(url.href)) return next(specifier, context);
    const path = fileURLToPath(url);
    return { url: pathToFileURL(realPath(path) ?? path).href, shortCircuit: true };
  }
  if (!inAsar(context.parentURL)) return next(specifier, context);
  // A bare import from inside the archive: Node's node_modules lookup, walking up inside it.
  const { archive, inner } = splitAsar(fileURLToPath(context.parentURL));
  const dirs = inner.split('/').slice(0, -1);
  for (let i = dirs.length; i >= 0; i--) {
    const pkgDir = [...dirs.slice(0, i), 'node_modules', packageName(specifier)].join('/');
    if (!asarEntry(archive, `${pkgDir}/package.json`)) continue;
    const real = realPath(`${archive}/${pkgDir}`);
    if (!real) {
      throw new Error(
        `${specifier} is packed inside ${archive}: the desktop stand-in loads only packages electron-builder unpacked (asarUnpack). ` +
          'Bundle JavaScript dependencies into out/main (electron.vite.config.ts) or unpack this one.',
      );
    }
    return next(specifier, { ...context, parentURL: pathToFileURL(`${real}/../index.js`).href });
  }
  throw Object.assign(new Error(`Cannot find package '${specifier}' imported from ${context.parentURL}`), { code: 'ERR_MODULE_NOT_FOUND' });
}

export async function load(url, context, next) {
  if (!inAsar(url)) return next(url, context);
  const path = fileURLToPath(url);
  if (!/\.(m?js)$/.test(path)) throw new Error(`The desktop stand-in reads only ES modules from inside app.asar, not ${path}.`);
  return { format: 'module', source: readAppFile(path), shortCircuit: true };
}
