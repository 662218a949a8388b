/** What LLaMA-Factory's torchrun re-launch needs: a config path without whitespace, and the CLI's own torchrun first on PATH. */
import { mkdirSync, mkdtempSync, readFileSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join, resolve } from 'node:path';
import { describe, expect, it } from 'vitest';
import { argvConfigPath, runEnv } from '../../../src/core/runs/prepareLaunch.js';
import { spec } from './helpers.js';

const root = mkdtempSync(join(tmpdir(), 'ty-argv-'));

describe('argvConfigPath', () => {
  it('passes a path without spaces as it is', () => {
    expect(argvConfigPath('/data/runs/run_1/config.yaml', '/lf', 'run_1')).toBe('/data/runs/run_1/config.yaml');
  });

  it('gives a path with a space relative to the working folder when that has none', () => {
    const cfg = join(root, 'Application Support', 'Trainyard', 'runs', 'run_1', 'config.yaml');
    const work = join(root, 'Application Support', 'LLaMA-Factory');
    const arg = argvConfigPath(cfg, work, 'run_1');
    expect(arg).toBe('../Trainyard/runs/run_1/config.yaml');
    expect(resolve(work, arg)).toBe(cfg);
  });

  it('links it from the temp folder when even the relative path has a space', () => {
    const dir = join(root, 'My Data', 'runs', 'run_2');
    mkdirSync(dir, { recursive: true });
    writeFileSync(join(dir, 'config.yaml'), 'stage: sft\n');
    const arg = argvConfigPath(join(dir, 'config.yaml'), '/lf', 'run_2', join(root, 'tmp'));
    expect(arg).toBe(join(root, 'tmp', 'trainyard-configs', 'run_2.yaml'));
    expect(readFileSync(arg, 'utf8')).toBe('stage: sft\n');
    expect(() => argvConfigPath(join(dir, 'config.yaml'), '/lf', 'run_3', join(root, 'tmp dir'))).toThrow(/without spaces/);
  });
});

describe('runEnv', () => {
  const base = { spec: spec('x', '', '/lf'), outputDir: '/o', masterPort: 29500, hasDeepspeed: true };
  it("puts the trainer's own folder first on PATH (an unactivated venv's torchrun), once", () => {
    const env = runEnv({ ...base, program: '/home/u/venv/bin/llamafactory-cli', path: '/usr/bin:/home/u/venv/bin:/bin' });
    expect(env.PATH).toBe('/home/u/venv/bin:/usr/bin:/bin');
    expect(env.FORCE_TORCHRUN).toBe('1');
  });
  it('leaves PATH alone for a program found by name', () => {
    expect(runEnv({ ...base, program: 'llamafactory-cli', path: '/usr/bin' }).PATH).toBeUndefined();
  });
  it('sets FORCE_TORCHRUN for a training on several cards, not on one card nor for a server', () => {
    const on = (gpuIndices: number[], kind: 'train' | 'api' = 'train') =>
      runEnv({ ...base, hasDeepspeed: false, spec: { ...base.spec, kind, gpuIndices } });
    expect(on([0, 1]).FORCE_TORCHRUN).toBe('1');
    expect(on([0, 1]).CUDA_VISIBLE_DEVICES).toBe('0,1');
    expect(on([1]).FORCE_TORCHRUN).toBeUndefined();
    expect(on([0, 1], 'api').FORCE_TORCHRUN).toBeUndefined();
  });
});
