/** Saving back to the user's file: atomic, mode kept, refused when the file changed since it was loaded, never a FIFO. */
import { execFileSync } from 'node:child_process';
import { chmodSync, mkdtempSync, readdirSync, readFileSync, statSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { describe, expect, it } from 'vitest';
import { readSource, writeSource } from '../../../src/core/configs/sourceFile.js';

describe('source file', () => {
  it('writes the new text over the file with its mode, leaving no temporary file', () => {
    const dir = mkdtempSync(join(tmpdir(), 'ty-src-'));
    const file = join(dir, 'train.yaml');
    writeFileSync(file, '# mine\nlearning_rate: 1.0e-4\n');
    chmodSync(file, 0o640);
    const loaded = readSource(file);
    const saved = writeSource(file, '# mine\nlearning_rate: 2.0e-4\n', loaded.hash);
    expect(readFileSync(file, 'utf8')).toBe('# mine\nlearning_rate: 2.0e-4\n');
    expect(statSync(file).mode & 0o777).toBe(0o640);
    expect(saved.hash).not.toBe(loaded.hash);
    expect(readdirSync(dir)).toEqual(['train.yaml']);
  });

  it('refuses when the file changed on disk since it was loaded, and keeps the other change', () => {
    const dir = mkdtempSync(join(tmpdir(), 'ty-src-'));
    const file = join(dir, 'train.yaml');
    writeFileSync(file, 'a: 1\n');
    const loaded = readSource(file);
    writeFileSync(file, 'a: 1\nb: 2\n');
    expect(() => writeSource(file, 'a: 3\n', loaded.hash)).toThrow(/changed on disk since the editor loaded it/);
    expect(readFileSync(file, 'utf8')).toBe('a: 1\nb: 2\n');
  });

  it('does not read a FIFO or a folder', () => {
    const dir = mkdtempSync(join(tmpdir(), 'ty-src-'));
    execFileSync('mkfifo', [join(dir, 'pipe.yaml')]);
    expect(() => readSource(join(dir, 'pipe.yaml'))).toThrow(/not a regular file/);
    expect(() => readSource(dir)).toThrow(/not a regular file/);
  });
});
