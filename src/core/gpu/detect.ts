/** One-shot GPU detection: finds nvidia-smi / rocm-smi, queries them, and turns every failure into a notice saying why. */
import type { GpuInfo, GpuNotice } from '../../shared/types/gpu.js';
import { isExecutable, which } from '../util/which.js';
import { parseRocmSmiJson } from './rocmSmi.js';
import { runTool, type ToolResult } from './runTool.js';
import { COMPUTE_APP_FIELDS, GPU_QUERY_FIELDS, parseComputeAppsCsv, parseQueryGpuCsv, type ComputeApp } from './smiCsv.js';

export const DEFAULT_TOOL_TIMEOUT_MS = 5000;

export type Detection =
  | { ok: true; source: 'nvidia-smi' | 'rocm-smi'; tool: string; gpus: GpuInfo[] }
  | { ok: false; notice: GpuNotice };

export const queryGpuArgs = (extra: string[] = []) => [
  `--query-gpu=${GPU_QUERY_FIELDS.join(',')}`,
  '--format=csv,noheader,nounits',
  ...extra,
];

/** Path of nvidia-smi: TRAINYARD_NVIDIA_SMI wins (tests point it at a double; odd installs at the real one). */
export function findNvidiaSmi(env: NodeJS.ProcessEnv): { path: string | null; override: string | null } {
  const override = env.TRAINYARD_NVIDIA_SMI?.trim() || null;
  if (override) return { path: isExecutable(override) ? override : null, override };
  return { path: which('nvidia-smi', env), override: null };
}

export function findRocmSmi(env: NodeJS.ProcessEnv): string | null {
  const override = env.TRAINYARD_ROCM_SMI?.trim();
  if (override) return isExecutable(override) ? override : null;
  return which('rocm-smi', env);
}

const firstLine = (s: string) => s.trim().split(/\r?\n/)[0]?.slice(0, 200) ?? '';

/** Reads nvidia-smi's failure text (it prints errors on stdout) into a notice with a hint a person can act on. */
export function classifyNvidiaFailure(tool: string, r: ToolResult, timeoutMs = DEFAULT_TOOL_TIMEOUT_MS): GpuNotice {
  const text = `${r.stdout}\n${r.stderr}`;
  if (r.timedOut)
    return {
      kind: 'timeout',
      tool,
      message: `nvidia-smi did not answer within ${timeoutMs / 1000} s and was stopped.`,
      hint: 'The driver may be hung (a GPU fell off the bus or a process is stuck in it). Look for "Xid" lines in `sudo dmesg`; a reboot usually clears it.',
    };
  if (r.spawnError)
    return {
      kind: 'failed',
      tool,
      message: `nvidia-smi at ${tool} could not be started (${r.spawnError}).`,
      hint: 'Check that the file is executable, or point TRAINYARD_NVIDIA_SMI at a working nvidia-smi.',
    };
  if (/Driver\/library version mismatch/i.test(text))
    return {
      kind: 'driver-mismatch',
      tool,
      message: 'Failed to initialize NVML: Driver/library version mismatch.',
      hint: 'The NVIDIA driver was updated but the old kernel module is still loaded. A reboot usually fixes it.',
    };
  if (/couldn't communicate with the NVIDIA driver|NVIDIA driver is not loaded/i.test(text))
    return {
      kind: 'no-driver',
      tool,
      message: "nvidia-smi is installed but couldn't communicate with the NVIDIA driver.",
      hint: 'Install or load the NVIDIA driver (`lsmod | grep nvidia` should list it); in a container, start it with GPU access (e.g. `--gpus all`).',
    };
  if (/No devices were found/i.test(text))
    return {
      kind: 'no-devices',
      tool,
      message: 'nvidia-smi found no NVIDIA GPU on this machine.',
      hint: 'Training runs on the CPU. If a GPU is installed, check it is seated and powered (`lspci | grep -i nvidia`).',
    };
  if (r.code === 0)
    return {
      kind: 'garbage',
      tool,
      message: `nvidia-smi printed something Trainyard could not read: "${firstLine(text)}".`,
      hint: 'Run `nvidia-smi --query-gpu=index,name --format=csv` in a terminal; if it looks wrong there too, reinstall the driver utilities.',
    };
  return {
    kind: 'failed',
    tool,
    message: `nvidia-smi failed (exit ${r.code ?? r.signal}): ${firstLine(text) || 'no output'}.`,
    hint: 'Run `nvidia-smi` in a terminal to see the full error; "Failed to initialize NVML: Unknown Error" in a container usually means it lost access to /dev/nvidia* (restart the container).',
  };
}

export async function detectNvidia(tool: string, env: NodeJS.ProcessEnv, timeoutMs = DEFAULT_TOOL_TIMEOUT_MS): Promise<Detection> {
  const r = await runTool(tool, queryGpuArgs(), env, timeoutMs);
  if (r.code === 0 && !r.timedOut) {
    const { gpus } = parseQueryGpuCsv(r.stdout);
    if (gpus.length > 0) return { ok: true, source: 'nvidia-smi', tool, gpus };
  }
  return { ok: false, notice: classifyNvidiaFailure(tool, r, timeoutMs) };
}

export async function detectRocm(tool: string, env: NodeJS.ProcessEnv, timeoutMs = DEFAULT_TOOL_TIMEOUT_MS): Promise<Detection> {
  const r = await runTool(tool, ['--showallinfo', '--json'], env, timeoutMs);
  const fail = (message: string): Detection => ({
    ok: false,
    notice: {
      kind: r.timedOut ? 'timeout' : r.code === 0 ? 'garbage' : 'failed',
      tool,
      message,
      hint: 'Run `rocm-smi --showallinfo --json` in a terminal; check the amdgpu driver is loaded (`lsmod | grep amdgpu`).',
    },
  });
  if (r.timedOut) return fail(`rocm-smi did not answer within ${timeoutMs / 1000} s and was stopped.`);
  if (r.code !== 0) return fail(`rocm-smi failed (exit ${r.code ?? r.signal}): ${firstLine(r.stdout + r.stderr) || 'no output'}.`);
  try {
    const { gpus } = parseRocmSmiJson(r.stdout);
    if (gpus.length > 0) return { ok: true, source: 'rocm-smi', tool, gpus };
    return { ok: false, notice: { kind: 'no-devices', tool, message: 'rocm-smi found no AMD GPU.', hint: 'Training runs on the CPU.' } };
  } catch (e) {
    return fail((e as Error).message);
  }
}

/** NVIDIA first, then AMD; the notice explains the most relevant failure (a tool that exists beats "not installed"). */
export async function detectGpus(env: NodeJS.ProcessEnv, timeoutMs = DEFAULT_TOOL_TIMEOUT_MS): Promise<Detection> {
  const nv = findNvidiaSmi(env);
  let nvidia: Detection | null = null;
  if (nv.path) {
    nvidia = await detectNvidia(nv.path, env, timeoutMs);
    if (nvidia.ok) return nvidia;
  }
  const rocmPath = findRocmSmi(env);
  if (rocmPath) {
    const amd = await detectRocm(rocmPath, env, timeoutMs);
    if (amd.ok || !nvidia) return amd;
  }
  if (nvidia) return nvidia;
  if (nv.override)
    return {
      ok: false,
      notice: {
        kind: 'not-installed',
        message: `TRAINYARD_NVIDIA_SMI is set to "${nv.override}", which is not an executable file.`,
        hint: 'Fix or unset TRAINYARD_NVIDIA_SMI. Until then training runs on the CPU.',
      },
    };
  return {
    ok: false,
    notice: {
      kind: 'not-installed',
      message: 'No GPU tools found: nvidia-smi and rocm-smi are not on PATH.',
      hint: 'Training runs on the CPU (slow; fine for the demo). Install the NVIDIA driver (it brings nvidia-smi) or set TRAINYARD_NVIDIA_SMI to its path.',
    },
  };
}

/** Processes holding GPU memory right now; null when the query failed (keep the previous list). */
export async function queryComputeApps(tool: string, env: NodeJS.ProcessEnv, timeoutMs = DEFAULT_TOOL_TIMEOUT_MS): Promise<ComputeApp[] | null> {
  const r = await runTool(tool, [`--query-compute-apps=${COMPUTE_APP_FIELDS.join(',')}`, '--format=csv,noheader,nounits'], env, timeoutMs);
  if (r.code !== 0 || r.timedOut) return null;
  return parseComputeAppsCsv(r.stdout);
}
