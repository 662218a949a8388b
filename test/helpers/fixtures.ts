/** Paths to the recorded real-world fixtures (copied into test/fixtures/recorded, so a clone alone passes its tests) and to the repo, for tests. */
import { dirname, resolve } from 'node:path';
import { fileURLToPath } from 'node:url';

export const repoRoot = resolve(dirname(fileURLToPath(import.meta.url)), '../..');
export const sharedFixtures = process.env.TRAINYARD_SHARED_FIXTURES ?? resolve(repoRoot, 'test/fixtures/recorded');
export const fixture = (...parts: string[]) => resolve(sharedFixtures, ...parts);
export const resourcesDir = resolve(repoRoot, 'resources');
