/** Concurrent starts of one target's server: a double click, or chat and a spot-check at once, launch one api run. */
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import type { Run } from '../../../src/shared/types/run.js';
import { makeRig } from './helpers.js';

const rig = makeRig();
let run: Run;

beforeAll(async () => {
  rig.chat.start?.();
  run = await rig.trainedRun('support-race');
});
afterAll(() => rig.cleanup());

const apiRuns = () => rig.runs.supervisor.list().filter((r) => r.kind === 'api' && r.parentRunId === run.id);

describe('server pool under concurrent ensure()', () => {
  it('two quick chat.serve calls and a spot-check ensureServer share one server', async () => {
    const [a, b, c] = await Promise.all([
      rig.call('chat.serve', { runId: run.id }),
      rig.call('chat.serve', { runId: run.id, deployed: true }),
      rig.chat.servers.ensureServer(run.id),
    ]);
    expect(b.id).toBe(a.id);
    expect(c.serverId).toBe(a.id);
    expect(apiRuns().map((r) => r.id)).toEqual([a.id]);
    // The second call's deployed flag was applied to the shared server.
    expect((await rig.call('chat.servers', {})).find((s) => s.id === a.id)?.deployed).toBe(true);
    // Once settled, a later call reuses the entry rather than launching again.
    const d = await rig.call('chat.serve', { runId: run.id });
    expect(d.id).toBe(a.id);
    expect(apiRuns().length).toBe(1);
  });
});
