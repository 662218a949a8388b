/** The PyTorch check runs beside the engine: a slow `import torch` shows as "checking", never blocks a request, and a timeout says so. */
import { chmodSync, existsSync, mkdtempSync, readFileSync, rmSync, utimesSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { afterAll, describe, expect, it } from 'vitest';
import { createCore } from '../../../src/core/createCore.js';
import { checkPython } from '../../../src/core/runs/pythonCheck.js';
import type { TrainerAvailability } from '../../../src/shared/types/system.js';
import { alive } from '../../helpers/process.js';
import { waitFor } from './helpers.js';
import { sourceTreeRuntime } from '../../helpers/runtime.js';

const dir = mkdtempSync(join(tmpdir(), 'ty-pycheck-'));
afterAll(() => rmSync(dir, { recursive: true, force: true }));

/** A stand-in Python: a shell script that ignores `-c 'import torch, yaml'` and runs `body` instead. */
function fakePython(name: string, body: string): string {
  const path = join(dir, name);
  writeFileSync(path, `#!/bin/sh\n${body}\n`);
  chmodSync(path, 0o755);
  return path;
}

describe('the PyTorch check', () => {
  it('answers system.ping while a Python is still importing torch, shows "checking", then what it found', async () => {
    const gate = join(dir, 'gate');
    // Its import lasts until the test opens the gate: the old synchronous check would hold the engine that long.
    const python = fakePython('slow-python', `while [ ! -e '${gate}' ]; do sleep 0.05; done\nexit 0`);
    const core = createCore({ runtime: sourceTreeRuntime(), dataDir: join(dir, 'data'), host: 'serve', env: { ...process.env, TRAINYARD_NVIDIA_SMI: '/nonexistent' } });
    const seen: TrainerAvailability[] = [];
    const off = core.subscriptions['trainers.changed']({}, (t) => seen.push(t), { connectionId: 't', subscriptionId: 1 });
    try {
      await core.handlers['settings.update']({ trainer: { python } }, { connectionId: 't' });
      const info = await core.handlers['system.info']({}, { connectionId: 't' });
      expect(info.trainers).toMatchObject({ demoPython: null, demoProblem: null, demoChecking: python });
      expect((await core.handlers['system.ping']({}, { connectionId: 't' })).at).toBeGreaterThan(0);
      // Asked again meanwhile: still checking, and the same single check (no second child).
      expect((await core.handlers['system.info']({}, { connectionId: 't' })).trainers.demoChecking).toBe(python);

      writeFileSync(gate, '');
      await waitFor(() => seen.some((t) => t.demoPython === python), 30_000, 'the check to report its Python');
      expect(seen.at(-1)).toMatchObject({ demoPython: python, demoProblem: null, demoChecking: null });
      expect((await core.handlers['system.info']({}, { connectionId: 't' })).trainers.demoPython).toBe(python);

      // A Python replaced in place (new mtime) is checked again: this one has no torch (the engine then asks the next candidate).
      writeFileSync(python, `#!/bin/sh\necho "ModuleNotFoundError: No module named 'torch'" >&2\nexit 1\n`);
      const later = new Date(Date.now() + 10_000);
      utimesSync(python, later, later);
      expect((await core.handlers['system.info']({}, { connectionId: 't' })).trainers.demoChecking).toBe(python);
      expect(await checkPython(python, process.env)).toBe(`${python} cannot import torch/yaml: ModuleNotFoundError: No module named 'torch'`);
    } finally {
      off();
      await core.stop();
    }
  }, 60_000);

  it('says a Python that does not answer in time did not answer (not "no PyTorch"), and ends it', async () => {
    const pidFile = join(dir, 'hung.pid');
    const python = fakePython('hung-python', `echo $$ > '${pidFile}'\nexec sleep 600`);
    const problem = await checkPython(python, process.env, 1000);
    expect(problem).toBe(`${python} did not answer "import torch" in 1 s (a busy machine can be this slow); Trainyard asks again in 30 s.`);
    expect(problem).not.toMatch(/cannot import/);
    expect(existsSync(pidFile)).toBe(true);
    const pid = Number(readFileSync(pidFile, 'utf8'));
    await waitFor(() => !alive(pid), 10_000, 'the hung check to be ended');
  }, 30_000);
});
