/** Shared test setup for configs: the real key catalogue, a file system with an empty HF cache, fixture paths. */
import { mkdtempSync, readFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join, resolve } from 'node:path';
import { loadCatalogue } from '../../../src/core/configs/catalogue.js';
import { nodeConfigFs, type ConfigFs } from '../../../src/core/configs/configFs.js';
import { fixture, repoRoot } from '../../helpers/fixtures.js';

export const catalogue = loadCatalogue(resolve(repoRoot, 'resources/llamafactory/keys.json'));
export const configsDir = fixture('real-world', 'configs');
export const readConfig = (name: string) => readFileSync(join(configsDir, name), 'utf8');
export const modelConfig = (name: string) => JSON.parse(readFileSync(resolve(repoRoot, 'test/fixtures/models', `${name}.json`), 'utf8')) as Record<string, unknown>;

/** Real fs, but HOME and the HF cache point at an empty temp folder so the machine's cache cannot change results. */
export function isolatedFs(): ConfigFs & { tmp: string } {
  const tmp = mkdtempSync(join(tmpdir(), 'ty-cfg-'));
  return { ...nodeConfigFs({ HOME: tmp, HF_HUB_CACHE: join(tmp, 'hub') }), tmp };
}
