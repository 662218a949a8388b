/** `trainyard gpus [--json]`: lists GPUs (or the CPU device and why) with memory, utilisation, temperature, power. */
import { parseArgs, UsageError, type Command } from '../args.js';
import { attributeProcesses } from '../../core/gpu/attribution.js';
import { cpuDevice } from '../../core/gpu/cpuDevice.js';
import { detectGpus, queryComputeApps } from '../../core/gpu/detect.js';
import type { GpuInfo, GpuNoticeKind, GpuProcess } from '../../shared/types/gpu.js';

const help = `Usage: trainyard gpus [--json]

Lists the GPUs of this machine with memory, utilisation, temperature, power and the processes using them.
NVIDIA through nvidia-smi (on PATH, or the path in TRAINYARD_NVIDIA_SMI); AMD through rocm-smi
(TRAINYARD_ROCM_SMI). Without a readable GPU it prints why on stderr and lists the CPU device.

Options:
  --json   Print a JSON array, one object per device: index, uuid, name, vendor, pciBusId, driverVersion,
           memoryTotalMiB, memoryUsedMiB, memoryFreeMiB, utilizationGpuPct, utilizationMemoryPct,
           temperatureC, powerDrawW, powerLimitW, clockSmMHz, clockMemMHz, pstate, computeMode, migMode,
           processes [{ pid, name, usedMemoryMiB }]. Values nvidia-smi cannot read ([N/A]) are null.

Exit status:
  0  GPUs listed, or no GPU on this machine (no nvidia-smi/rocm-smi, or "No devices were found"):
     that is a fact about the machine, not an error; the CPU device is listed.
  1  nvidia-smi (or rocm-smi) exists but fails: driver/library version mismatch, no driver loaded,
     hung (killed after 5 s), unreadable output. The CPU device is still listed; stderr says why.
  2  Usage error.
`;

/** Facts exit 0; a tool that is there but broken exits 1 (scripts should notice a machine that lost its GPUs). */
const FACTS: ReadonlySet<GpuNoticeKind> = new Set(['not-installed', 'no-devices']);

export const gpusCommand: Command = {
  summary: 'List GPUs with memory, utilisation, temperature and power (--json for scripts).',
  help,
  async main(argv, io) {
    const { flags, positional } = parseArgs(argv, { json: { type: 'boolean' } });
    if (positional.length > 0) throw new UsageError(`Unexpected argument "${positional[0]}".`);
    const d = await detectGpus(io.env);
    let gpus: GpuInfo[];
    let processes: GpuProcess[] = [];
    let code = 0;
    if (d.ok) {
      gpus = d.gpus;
      if (d.source === 'nvidia-smi') {
        const apps = await queryComputeApps(d.tool, io.env);
        // The CLI has no runs: every process shows with its command name.
        processes = apps ? attributeProcesses(apps, gpus, () => null) : [];
      }
    } else {
      io.err(`trainyard gpus: ${d.notice.message}\n  ${d.notice.hint}\n`);
      gpus = [cpuDevice()];
      code = FACTS.has(d.notice.kind) ? 0 : 1;
    }
    if (flags.json) {
      const out = gpus.map((g) => ({
        ...g,
        processes: processes.filter((p) => p.gpuUuid === g.uuid).map((p) => ({ pid: p.pid, name: p.name, usedMemoryMiB: p.usedMemoryMiB })),
      }));
      io.out(JSON.stringify(out, null, 2) + '\n');
    } else io.out(table(gpus, processes));
    return code;
  },
};

const n = (v: number | null, unit = '', digits = 0) => (v === null ? 'N/A' : `${v.toFixed(digits)}${unit}`);

function table(gpus: GpuInfo[], processes: GpuProcess[]): string {
  const head = ['GPU', 'NAME', 'MEMORY USED / TOTAL', 'UTIL', 'TEMP', 'POWER / LIMIT'];
  const rows = gpus.map((g) => [
    String(g.index),
    g.name,
    `${n(g.memoryUsedMiB)} / ${n(g.memoryTotalMiB)} MiB`,
    n(g.utilizationGpuPct, '%'),
    n(g.temperatureC, 'C'),
    `${n(g.powerDrawW, 'W')} / ${n(g.powerLimitW, 'W')}`,
  ]);
  const widths = head.map((h, i) => Math.max(h.length, ...rows.map((r) => r[i]!.length)));
  const fmt = (r: string[]) => r.map((c, i) => c.padEnd(widths[i]!)).join('  ').trimEnd() + '\n';
  let out = fmt(head) + rows.map(fmt).join('');
  if (processes.length > 0) {
    out += '\nPROCESSES\n';
    const prow = processes.map((p) => [String(p.gpuIndex ?? '?'), String(p.pid), p.name, `${n(p.usedMemoryMiB)} MiB`]);
    const ph = ['GPU', 'PID', 'NAME', 'MEMORY'];
    const pw = ph.map((h, i) => Math.max(h.length, ...prow.map((r) => r[i]!.length)));
    const pf = (r: string[]) => r.map((c, i) => c.padEnd(pw[i]!)).join('  ').trimEnd() + '\n';
    out += pf(ph) + prow.map(pf).join('');
  }
  return out;
}
