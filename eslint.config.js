/** Lint rules, including the import boundaries of DESIGN.md: renderer → shared; main|server|cli → core → shared. */
import js from '@eslint/js';
import globals from 'globals';
import tseslint from 'typescript-eslint';

const nodeBuiltins = ['node:*', 'fs', 'path', 'os', 'child_process', 'net', 'http', 'crypto', 'url', 'worker_threads'];
const restrict = (patterns, message) => ({
  'no-restricted-imports': ['error', { patterns: patterns.map((group) => ({ group: [group], message })) }],
});

export default tseslint.config(
  { ignores: ['out/**', 'dist/**', 'release/**', 'node_modules/**', 'resources/**', '**/*.d.ts'] },
  js.configs.recommended,
  ...tseslint.configs.recommended,
  {
    languageOptions: { globals: { ...globals.node } },
    rules: {
      '@typescript-eslint/no-unused-vars': ['error', { argsIgnorePattern: '^_', varsIgnorePattern: '^_' }],
      '@typescript-eslint/consistent-type-imports': 'error',
      'no-console': 'off',
    },
  },
  {
    files: ['src/shared/**'],
    rules: restrict(
      [...nodeBuiltins, 'electron', 'react', 'react-dom', '**/core/**', '**/server/**', '**/main/**', '**/renderer/**', '**/preload/**', '**/cli/**'],
      'src/shared runs anywhere: no Node, DOM, Electron or React, and no imports from other src folders.',
    ),
  },
  {
    files: ['src/core/**'],
    rules: restrict(
      ['electron', 'react', 'react-dom', '**/server/**', '**/main/**', '**/renderer/**', '**/preload/**', '**/cli/**'],
      'src/core is Node only and never imports electron or a host (main, server, cli) or the renderer.',
    ),
  },
  {
    files: ['src/core/**'],
    ignores: ['src/core/store/db.ts'],
    rules: {
      'no-restricted-imports': [
        'error',
        {
          paths: [{ name: 'better-sqlite3', message: 'Only src/core/store/db.ts imports better-sqlite3; use its Db interface.' }],
          patterns: [
            {
              group: ['electron', 'react', 'react-dom', '**/server/**', '**/main/**', '**/renderer/**', '**/preload/**', '**/cli/**'],
              message: 'src/core is Node only and never imports electron or a host (main, server, cli) or the renderer.',
            },
          ],
        },
      ],
    },
  },
  {
    files: ['src/server/**', 'src/cli/**'],
    rules: restrict(['electron', 'react', 'react-dom', '**/main/**', '**/renderer/**', '**/preload/**', 'better-sqlite3'], 'Hosts use core, never Electron, the renderer or the driver.'),
  },
  {
    files: ['src/main/**'],
    rules: restrict(['react', 'react-dom', '**/renderer/**', '**/server/**', '**/cli/**', 'better-sqlite3'], 'The Electron shell uses core and shared only.'),
  },
  {
    files: ['src/preload/**'],
    rules: restrict(['**/core/**', '**/server/**', '**/renderer/**', '**/cli/**', 'better-sqlite3', 'node:*'], 'The preload is a tiny bridge: electron and shared only.'),
  },
  {
    files: ['src/renderer/**'],
    languageOptions: { globals: { ...globals.browser } },
    rules: restrict(
      [...nodeBuiltins, 'electron', 'better-sqlite3', 'node-pty', 'ws', '**/core/**', '**/server/**', '**/main/**', '**/preload/**', '**/cli/**'],
      'The renderer talks to the engine only through src/renderer/api (the contract); it imports shared, never Node or core.',
    ),
  },
);
