/** Desktop build: main (bundles core and its JavaScript dependencies), preload, renderer, and the run holder (out/holder). */
import react from '@vitejs/plugin-react';
import { defineConfig } from 'electron-vite';
import { resolve } from 'node:path';
import { emitHolder } from './scripts/holderFiles.mjs';
import { precompress } from './vite.renderer.config.js';

export default defineConfig({
  main: {
    // Everything is bundled except better-sqlite3 (native, loaded from the Electron-ABI build: scripts/native-electron.mjs).
    // So the main process reads one file from app.asar, and no JavaScript dependency has to be resolved inside it.
    plugins: [{ name: 'trainyard-holder', closeBundle: () => void emitHolder(__dirname) }],
    build: {
      externalizeDeps: false,
      outDir: 'out/main',
      rollupOptions: {
        input: { index: resolve(__dirname, 'src/main/index.ts') },
        external: ['better-sqlite3'],
        output: { format: 'es', entryFileNames: '[name].js' },
      },
    },
  },
  preload: {
    build: {
      outDir: 'out/preload',
      rollupOptions: { input: { index: resolve(__dirname, 'src/preload/index.ts') }, output: { format: 'cjs', entryFileNames: '[name].cjs' } },
    },
  },
  // The same renderer build as `serve`'s (vite.renderer.config.ts): both write out/renderer, so they must not differ.
  renderer: {
    root: resolve(__dirname, 'src/renderer'),
    plugins: [react(), precompress()],
    build: { outDir: 'out/renderer', sourcemap: false, chunkSizeWarningLimit: 600, rollupOptions: { input: resolve(__dirname, 'src/renderer/index.html') } },
  },
});
