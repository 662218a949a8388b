/** Builds the renderer for `serve` and the browser e2e tests (the desktop build uses electron.vite.config.ts): split by view, no source maps shipped, every text asset precompressed (brotli + gzip) for `serve` to send as is. */
import react from '@vitejs/plugin-react';
import { readdirSync, readFileSync, statSync, writeFileSync } from 'node:fs';
import { extname, join, resolve } from 'node:path';
import { brotliCompressSync, constants, gzipSync } from 'node:zlib';
import { defineConfig, type Plugin } from 'vite';

const outDir = resolve(__dirname, 'out/renderer');
const COMPRESSIBLE = new Set(['.js', '.css', '.html', '.svg', '.json']);

/** Writes `<file>.br` and `<file>.gz` beside each text asset once, at build time (serving never compresses). */
export function precompress(): Plugin {
  return {
    name: 'trainyard-precompress',
    apply: 'build',
    closeBundle() {
      const walk = (dir: string): string[] => readdirSync(dir).flatMap((n) => (statSync(join(dir, n)).isDirectory() ? walk(join(dir, n)) : [join(dir, n)]));
      for (const file of walk(outDir)) {
        if (!COMPRESSIBLE.has(extname(file)) || statSync(file).size < 1024) continue;
        const data = readFileSync(file);
        writeFileSync(`${file}.br`, brotliCompressSync(data, { params: { [constants.BROTLI_PARAM_QUALITY]: 11, [constants.BROTLI_PARAM_SIZE_HINT]: data.length } }));
        writeFileSync(`${file}.gz`, gzipSync(data, { level: 9 }));
      }
    },
  };
}

export default defineConfig({
  root: resolve(__dirname, 'src/renderer'),
  base: './',
  plugins: [react(), precompress()],
  build: {
    outDir,
    emptyOutDir: true,
    // Not shipped: 6 MB of maps in the package for a stack trace nobody reads there.
    sourcemap: false,
    chunkSizeWarningLimit: 600,
  },
});
