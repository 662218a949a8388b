/** The nvidia-smi / rocm-smi parsers on every real recorded output in the shared fixtures. */
import { readFileSync } from 'node:fs';
import { describe, expect, it } from 'vitest';
import { parseRocmSmiJson } from '../../../src/core/gpu/rocmSmi.js';
import { parseComputeAppsCsv, parseCsvRecords, parseQueryGpuCsv } from '../../../src/core/gpu/smiCsv.js';
import { parseNvidiaSmiTable } from '../../../src/core/gpu/smiTable.js';
import { parseNvidiaSmiXml } from '../../../src/core/gpu/smiXml.js';
import { cleanValue, numberValue } from '../../../src/core/gpu/smiValues.js';
import { parseComputeCaps } from '../../../src/core/gpu/computeCap.js';
import { fixture } from '../../helpers/fixtures.js';

const h200 = (f: string) => readFileSync(fixture('nvidia-smi/h200-1gpu', f), 'utf8');
const real = (f: string) => readFileSync(fixture('real-world/nvidia-smi', f), 'utf8');
const H200_UUID = 'GPU-37b6ff2f-7294-0180-57b9-5ef4cd40a34c';

describe('values', () => {
  it('turns every placeholder into null and strips units', () => {
    for (const v of ['[N/A]', '[Not Supported]', '[Unknown Error]', '[Insufficient Permissions]', 'N/A', '', '  ']) expect(cleanValue(v)).toBeNull();
    expect(numberValue('143771 MiB')).toBe(143771);
    expect(numberValue('123.01 W')).toBe(123.01);
    expect(numberValue('0 %')).toBe(0);
    expect(numberValue('1980MHz')).toBe(1980);
    expect(numberValue('P0')).toBeNull();
    expect(numberValue('[N/A]')).toBeNull();
  });
});

describe('query-gpu CSV (H200 recording)', () => {
  it('reads the noheader,nounits answer', () => {
    const text = h200('query-gpu-noheader-nounits.csv');
    // Recorded with fan.speed in place of clocks.mem…: parse with the field list it was recorded with.
    const fields = ['index', 'uuid', 'name', 'pci.bus_id', 'driver_version', 'memory.total', 'memory.used', 'memory.free',
      'utilization.gpu', 'utilization.memory', 'temperature.gpu', 'power.draw', 'power.limit', 'fan.speed', 'clocks.sm',
      'clocks.max.sm', 'pstate', 'compute_mode'];
    const { gpus, bad } = parseQueryGpuCsv(text, fields);
    expect(bad).toEqual([]);
    expect(gpus).toHaveLength(1);
    expect(gpus[0]).toMatchObject({ index: 0, uuid: H200_UUID, name: 'NVIDIA H200', pciBusId: '00000000:00:06.0',
      driverVersion: '580.159.04', memoryTotalMiB: 143771, memoryUsedMiB: 0, memoryFreeMiB: 143156, temperatureC: 33,
      powerDrawW: 123, powerLimitW: 700, clockSmMHz: 1980, pstate: 'P0', computeMode: 'Default', migMode: null });
  });

  it('reads the header+units answer by its header, whatever the field order', () => {
    const { gpus, bad } = parseQueryGpuCsv(h200('query-gpu.csv'));
    expect(bad).toEqual([]);
    expect(gpus[0]).toMatchObject({ uuid: H200_UUID, memoryTotalMiB: 143771, memoryFreeMiB: 143156, powerDrawW: 123.01, clockSmMHz: 1980 });
  });

  it('reads the -lms 500 stream recording (index, memory.used, utilization.gpu, power.draw) line by line', () => {
    const fields = ['index', 'memory.used', 'utilization.gpu', 'power.draw'];
    const { gpus, bad } = parseQueryGpuCsv(h200('stream-lms500.csv'), fields);
    expect(bad).toEqual([]);
    expect(gpus).toHaveLength(49);
    expect(Math.max(...gpus.map((g) => g.memoryUsedMiB ?? 0))).toBe(2327);
    expect(Math.max(...gpus.map((g) => g.utilizationGpuPct ?? 0))).toBe(84);
    expect(gpus.every((g) => g.uuid === 'GPU-index-0')).toBe(true);
  });

  it('reads the script-wrapped 8-GPU log (timestamp prefix, a misleading header) as records', () => {
    const { rows, bad } = parseCsvRecords(real('xypp3__gpu_glasses__nvidia_smi.csv'));
    expect(bad).toEqual([]);
    expect(rows.length).toBeGreaterThanOrEqual(8);
    expect(rows.slice(0, 8).map((r) => r['gpu'])).toEqual(['0', '1', '2', '3', '4', '5', '6', '7']);
    expect(rows.every((r) => numberValue(r['memory.total']) === 81559)).toBe(true);
    expect(numberValue(rows[0]!['power.draw'])).toBe(74.01);
  });

  it('keeps going past blank lines, a partial last line and MIG-style [N/A] values', () => {
    const text = '\n0, GPU-aaaa, NVIDIA A100-SXM4-80GB, [N/A], 550.54, 81920, [N/A], [N/A], [N/A], [Not Supported], 40, [Unknown Error], 400.00, 1410, 1593, P0, Default, Enabled\n\n1, GPU-bb';
    const { gpus, bad } = parseQueryGpuCsv(text);
    expect(gpus).toHaveLength(1);
    expect(gpus[0]).toMatchObject({ index: 0, memoryUsedMiB: null, utilizationGpuPct: null, powerDrawW: null, migMode: 'Enabled', pciBusId: null });
    expect(bad).toEqual(['1, GPU-bb']);
  });
});

describe('compute-apps CSV', () => {
  it('parses every snapshot of the recording, the empty ones too', () => {
    const snapshots = h200('compute-apps.csv').split(/^--- t=\d+s$/m).slice(1);
    expect(snapshots).toHaveLength(6);
    const parsed = snapshots.map((s) => parseComputeAppsCsv(s));
    expect(parsed.map((p) => p.length)).toEqual([0, 0, 0, 1, 2, 0]);
    expect(parsed[4]).toEqual([
      { pid: 479, gpuUuid: H200_UUID, usedMemoryMiB: 1156, processName: 'python3' },
      { pid: 476, gpuUuid: H200_UUID, usedMemoryMiB: 1156, processName: 'python3' },
    ]);
  });

  it('keeps a process name with commas whole and skips rows without a pid', () => {
    const apps = parseComputeAppsCsv('12, GPU-x, 100, python, my,script\n[N/A], GPU-x, 5, ghost\n');
    expect(apps).toEqual([{ pid: 12, gpuUuid: 'GPU-x', usedMemoryMiB: 100, processName: 'python, my,script' }]);
  });
});

describe('the human table', () => {
  it('H200 (1 GPU, idle)', () => {
    const t = parseNvidiaSmiTable(h200('nvidia-smi.txt'));
    expect(t).toMatchObject({ driverVersion: '580.159.04', cudaVersion: '13.0', processes: [] });
    expect(t.gpus).toHaveLength(1);
    expect(t.gpus[0]).toMatchObject({ index: 0, name: 'NVIDIA H200', pciBusId: '00000000:00:06.0', temperatureC: 33,
      powerDrawW: 123, powerLimitW: 700, memoryUsedMiB: 0, memoryTotalMiB: 143771, utilizationGpuPct: 0,
      computeMode: 'Default', migMode: 'Disabled', pstate: 'P0', fanPct: null, persistenceMode: 'On' });
  });

  it('8 × H200', () => {
    const t = parseNvidiaSmiTable(real('nightlessbaron__cllm_baseline__nvidia-smi.txt'));
    expect(t.driverVersion).toBe('570.133.20');
    expect(t.gpus.map((g) => g.index)).toEqual([0, 1, 2, 3, 4, 5, 6, 7]);
    expect(t.gpus.every((g) => g.memoryTotalMiB === 143771 && g.name === 'NVIDIA H200')).toBe(true);
    expect(t.gpus[7]).toMatchObject({ pciBusId: '00000000:B7:00.0', powerDrawW: 74, temperatureC: 28 });
    expect(t.processes).toEqual([]);
  });

  it('2 × H100', () => {
    const t = parseNvidiaSmiTable(real('DaisukeTakai__eval_dataset__nvidia-smi.log'));
    expect(t.gpus.map((g) => [g.name, g.memoryTotalMiB, g.persistenceMode])).toEqual([
      ['NVIDIA H100 80GB HBM3', 81559, 'Off'],
      ['NVIDIA H100 80GB HBM3', 81559, 'Off'],
    ]);
  });

  it('2 × RTX 4090 with the same processes on both cards', () => {
    const t = parseNvidiaSmiTable(real('jarkko-hautakorpi__asus_X670-P_WIFI_Bifurcation_problems__nvidia-smi.log'));
    expect(t.gpus).toHaveLength(2);
    expect(t.gpus[0]).toMatchObject({ fanPct: 0, temperatureC: 30, pstate: 'P8', memoryUsedMiB: 1583, memoryTotalMiB: 24564, migMode: null });
    expect(t.processes).toHaveLength(10);
    expect(t.processes[0]).toEqual({ gpuIndex: 0, pid: 2244, type: 'G', name: '/usr/lib/xorg/Xorg', usedMemoryMiB: 4 });
    expect(t.processes.filter((p) => p.pid === 11497).map((p) => p.gpuIndex)).toEqual([0, 1]);
    expect(t.processes[1]!.name).toBe('...m-studio/.internal/utils/node');
  });
});

describe('-q -x XML', () => {
  it('H200', () => {
    const x = parseNvidiaSmiXml(h200('nvidia-smi-q.xml'));
    expect(x).toMatchObject({ driverVersion: '580.159.04', cudaVersion: '13.0', processes: [] });
    expect(x.gpus[0]).toMatchObject({ index: 0, uuid: H200_UUID, name: 'NVIDIA H200', architecture: 'Hopper',
      memoryTotalMiB: 143771, memoryReservedMiB: 616, temperatureC: 32, powerLimitW: 700, clockSmMHz: 405,
      clockMemMHz: 3201, migMode: 'Disabled', computeMode: 'Default', pstate: 'P0' });
    expect(x.gpus[0]!.powerDrawW).toBeCloseTo(80.67);
  });

  it('2 × RTX A5000 with a llama-server on both', () => {
    const x = parseNvidiaSmiXml(real('influxdata__telegraf__plugins__inputs__nvidia_smi__testdata__dual_a5000-v13.xml'));
    expect(x.driverVersion).toBe('590.44.01');
    expect(x.gpus.map((g) => [g.index, g.name, g.pciBusId, g.memoryTotalMiB, g.memoryUsedMiB, g.migMode])).toEqual([
      [0, 'NVIDIA RTX A5000', '00000000:81:00.0', 24564, 22437, null],
      [1, 'NVIDIA RTX A5000', '00000000:C1:00.0', 24564, 17253, null],
    ]);
    expect(x.processes.map((p) => [p.gpuIndex, p.pid, p.name])).toEqual([
      [0, 100477, '/root/src/llama.cpp/build/bin/llama-server'],
      [1, 100477, '/root/src/llama.cpp/build/bin/llama-server'],
    ]);
    expect(x.processes[0]!.usedMemoryMiB).toBe(22430);
  });

  it('says clearly when the XML is broken', () => {
    expect(() => parseNvidiaSmiXml('<nvidia_smi_log><gpu></nvidia_smi_log>')).toThrow(/closes <gpu>/);
    expect(() => parseNvidiaSmiXml('<other/>')).toThrow(/no <nvidia_smi_log>/);
  });
});

describe('rocm-smi JSON (6 × MI100)', () => {
  it('reads every card and the process list', () => {
    const r = parseRocmSmiJson(real('influxdata__telegraf__plugins__inputs__amd_rocm_smi__testdata__mi100_rocm571.json'));
    expect(r.driverVersion).toBe('6.2.4');
    expect(r.gpus.map((g) => g.index)).toEqual([0, 1, 2, 3, 4, 5]);
    expect(r.gpus[0]).toMatchObject({ vendor: 'amd', name: 'Arcturus GL-XL [Instinct MI100]', pciBusId: '0000:1E:00.0',
      memoryTotalMiB: 32752, memoryUsedMiB: 6, temperatureC: 31, powerDrawW: 39, powerLimitW: 290, clockSmMHz: 300,
      clockMemMHz: 1200, utilizationGpuPct: 0, uuid: 'AMD-0000:1E:00.0' });
    expect(new Set(r.gpus.map((g) => g.uuid)).size).toBe(6);
    expect(r.processes).toEqual([{ pid: 104225, name: 'mlir-cpu-runner', gpuCount: 0, vramBytes: 0 }]);
  });

  it('rejects non-JSON with a clear message', () => {
    expect(() => parseRocmSmiJson('WARNING: no AMD GPUs')).toThrow(/did not print JSON/);
  });
});

describe('compute capability', () => {
  it('is one of the fields this H200 driver can be asked for (--help-query-gpu)', () => {
    expect(h200('help-query-gpu.txt')).toContain('"compute_cap"\nThe CUDA Compute Capability, represented as Major DOT Minor.');
  });

  it('reads uuid → major.minor and drops placeholders and garbage', () => {
    const text = `${H200_UUID}, 9.0\nGPU-aaaa, 7.5\nGPU-bbbb, [N/A]\nGPU-cccc, seven\n`;
    expect([...parseComputeCaps(text)]).toEqual([
      [H200_UUID, '9.0'],
      ['GPU-aaaa', '7.5'],
    ]);
    expect(parseComputeCaps('Field "compute_cap" is not a valid field to query.\n').size).toBe(0);
  });
});
