/**
 * e2e global setup: tags this test run in the environment (serve, holders and trainers inherit it), and at the end
 * kills every process still carrying the tag. Runs and inference servers outlive their engine on purpose, so without
 * this a test run would leave trainers and chat servers behind.
 */
import { readdirSync, readFileSync } from 'node:fs';
import { randomBytes } from 'node:crypto';

const TAG = 'TRAINYARD_E2E_TAG';

export function setup(): void {
  process.env[TAG] = randomBytes(8).toString('hex');
}

export function teardown(): void {
  const needle = `${TAG}=${process.env[TAG]}`;
  for (const name of readdirSync('/proc')) {
    const pid = Number(name);
    if (!Number.isInteger(pid) || pid === process.pid) continue;
    try {
      if (readFileSync(`/proc/${pid}/environ`, 'utf8').split('\0').includes(needle)) process.kill(pid, 'SIGKILL');
    } catch {
      // Gone already, or not ours to read.
    }
  }
}
