/** Lint rules, including the import boundaries of DESIGN.md: renderer → shared; main|server|cli → core → shared. */
import js from '@eslint/js';
import globals from 'globals';
import tseslint from 'typescript-eslint';

const nodeBuiltins = ['node:*', 'fs', 'path', 'os', 'child_process', 'net', 'http', 'crypto', 'url', 'worker_threads'];
const rendererBoundary = [...nodeBuiltins, 'electron', 'better-sqlite3', 'node-pty', 'ws', '**/core/**', '**/server/**', '**/main/**', '**/preload/**', '**/cli/**'];
const rendererBoundaryMessage = 'The renderer talks to the engine only through src/renderer/api (the contract); it imports shared, never Node or core.';
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
    rules: restrict(rendererBoundary, rendererBoundaryMessage),
  },
  {
    // Renderer data flow (issue 17): views read stores through selectors and call store actions; only stores (and the
    // entry, main.tsx) talk to the engine, so each topic has one subscription, opened by the store that owns it.
    // The renderer's own boundary is repeated: this entry replaces the rule for these files.
    files: ['src/renderer/features/**', 'src/renderer/components/**'],
    rules: {
      'no-restricted-imports': [
        'error',
        {
          patterns: [
            { group: rendererBoundary, message: rendererBoundaryMessage },
            {
              group: ['**/api/*', '**/stores/topics*'],
              message: 'Views do not call the engine: use (or add) an action or a selector of the store that owns the data (src/renderer/stores).',
            },
          ],
        },
      ],
    },
  },
  {
    // One logger (src/core/log/logger.ts) for the engine and its hosts: a console line reaches no log file and no diagnostics.
    // The CLI's job is printing to the terminal.
    files: ['src/**'],
    ignores: ['src/cli/**'],
    rules: { 'no-console': 'error' },
  },
  {
    // All SQL of a domain lives in its repository under src/core/store: nothing else prepares statements on the Db.
    files: ['src/**'],
    ignores: ['src/core/store/**'],
    rules: {
      'no-restricted-syntax': [
        'error',
        { selector: "CallExpression[callee.property.name='prepare']", message: 'SQL lives in a repository under src/core/store; add a method there.' },
        { selector: "CallExpression[callee.property.name='pragma']", message: 'SQL lives in a repository under src/core/store; add a method there.' },
      ],
    },
  },
);
