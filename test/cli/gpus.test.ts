/** `trainyard gpus` against the nvidia-smi double: table, --json, notices on stderr, exit codes per failure kind. */
import { mkdtempSync, rmSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { dirname, join } from 'node:path';
import { describe, expect, it } from 'vitest';
import { runCli } from '../../src/cli/index.js';
import { repoRoot } from '../helpers/fixtures.js';

const double = join(repoRoot, 'test/fixtures/bin/nvidia-smi');
const nodeDir = dirname(process.execPath);

async function cli(argv: string[], env: Record<string, string>) {
  let out = '';
  let err = '';
  const code = await runCli(['gpus', ...argv], { out: (t) => (out += t), err: (t) => (err += t), env: { PATH: nodeDir, ...env } });
  return { code, out, err };
}

describe('trainyard gpus', () => {
  it('--json lists every GPU with the documented keys', async () => {
    const r = await cli(['--json'], { TRAINYARD_NVIDIA_SMI: double, FAKE_GPUS: '8:NVIDIA H200:143771' });
    expect(r.code).toBe(0);
    expect(r.err).toBe('');
    const gpus = JSON.parse(r.out) as Array<Record<string, unknown>>;
    expect(gpus).toHaveLength(8);
    for (const k of ['index', 'uuid', 'name', 'memoryTotalMiB', 'memoryUsedMiB', 'memoryFreeMiB', 'utilizationGpuPct', 'temperatureC', 'powerDrawW', 'processes'])
      expect(gpus[0]).toHaveProperty(k);
    expect(gpus.map((g) => g['index'])).toEqual([0, 1, 2, 3, 4, 5, 6, 7]);
    expect(gpus[7]).toMatchObject({ name: 'NVIDIA H200', memoryTotalMiB: 143771, powerLimitW: 700 });
  });

  it('finds nvidia-smi on PATH and prints a table', async () => {
    const r = await cli([], { PATH: `${join(repoRoot, 'test/fixtures/bin')}:${nodeDir}`, FAKE_GPUS: '2' });
    expect(r.code).toBe(0);
    const lines = r.out.trim().split('\n');
    expect(lines[0]).toMatch(/^GPU\s+NAME\s+MEMORY USED \/ TOTAL\s+UTIL\s+TEMP\s+POWER \/ LIMIT$/);
    expect(lines[1]).toMatch(/^0\s+NVIDIA H100 80GB HBM3\s+\d+ \/ 81559 MiB/);
    expect(lines).toHaveLength(3);
  });

  it('null for values nvidia-smi cannot read ([N/A], [Not Supported])', async () => {
    const dir = mkdtempSync(join(tmpdir(), 'trainyard-cli-gpus-'));
    try {
      const state = join(dir, 'state.json');
      const fields = { 'power.draw': '[N/A]', 'utilization.gpu': '[Not Supported]', 'temperature.gpu': '[Unknown Error]' };
      writeFileSync(state, JSON.stringify({ gpus: [{ name: 'NVIDIA A100-SXM4-80GB', memoryTotalMiB: 81920, fields }] }));
      const r = await cli(['--json'], { TRAINYARD_NVIDIA_SMI: double, FAKE_NVIDIA_SMI_STATE: state });
      expect(r.code).toBe(0);
      const [g] = JSON.parse(r.out) as Array<Record<string, unknown>>;
      expect(g).toMatchObject({ name: 'NVIDIA A100-SXM4-80GB', memoryTotalMiB: 81920, powerDrawW: null, utilizationGpuPct: null, temperatureC: null });
    } finally {
      rmSync(dir, { recursive: true, force: true });
    }
  });

  it('no GPU tools: the notice on stderr, the CPU device, exit 0', async () => {
    const r = await cli(['--json'], {});
    expect(r.code).toBe(0);
    expect(r.err).toMatch(/nvidia-smi and rocm-smi are not on PATH/);
    const [cpu] = JSON.parse(r.out) as Array<Record<string, unknown>>;
    expect(cpu).toMatchObject({ vendor: 'cpu', uuid: 'CPU-0' });
  });

  it.each([
    ['mismatch', 1, /version mismatch[\s\S]*reboot/i],
    ['nodriver', 1, /couldn't communicate/],
    ['garbage', 1, /could not read/],
    ['nodevices', 0, /found no NVIDIA GPU/],
  ])('mode %s exits %i and says why', async (mode, code, message) => {
    const r = await cli([], { TRAINYARD_NVIDIA_SMI: double, FAKE_NVIDIA_SMI_MODE: mode });
    expect(r.code).toBe(code);
    expect(r.err).toMatch(message);
    expect(r.out).toMatch(/CPU/);
  });

  it('rejects unknown options with usage (exit 2)', async () => {
    const r = await cli(['--jsn'], {});
    expect(r.code).toBe(2);
    expect(r.err).toMatch(/Unknown option --jsn/);
  });
});
