/** Every stylesheet closes each block it opens: one missing brace (a merge) silently swallowed the GPU cards' whole stylesheet, which the bundle concatenates after it. */
import { readdirSync, readFileSync } from 'node:fs';
import { join } from 'node:path';
import { describe, expect, it } from 'vitest';
import { repoRoot } from '../helpers/fixtures.js';

function cssFiles(dir: string): string[] {
  return readdirSync(dir, { withFileTypes: true }).flatMap((e) => (e.isDirectory() ? cssFiles(join(dir, e.name)) : e.name.endsWith('.css') ? [join(dir, e.name)] : []));
}

describe('stylesheets', () => {
  it.each(cssFiles(join(repoRoot, 'src', 'renderer')).map((f) => [f.slice(repoRoot.length + 1), f]))('%s has balanced blocks', (_name, file) => {
    // Comments and strings may hold braces; they do not open blocks.
    const css = readFileSync(file, 'utf8').replace(/\/\*[\s\S]*?\*\//g, '').replace(/'[^'\n]*'|"[^"\n]*"/g, '');
    let depth = 0;
    for (const ch of css) {
      if (ch === '{') depth++;
      else if (ch === '}') depth--;
      expect(depth).toBeGreaterThanOrEqual(0);
    }
    expect(depth).toBe(0);
  });
});
