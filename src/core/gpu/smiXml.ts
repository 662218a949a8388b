/** Parses `nvidia-smi -q -x` XML (DTD v10–v13): GPUs with the facts the CSV lacks (architecture, CUDA, processes). */
import type { GpuInfo } from '../../shared/types/gpu.js';
import { cleanValue, numberValue } from './smiValues.js';

export interface XmlNode {
  name: string;
  attrs: Record<string, string>;
  children: XmlNode[];
  text: string;
}

export type XmlGpu = GpuInfo & { architecture: string | null; memoryReservedMiB: number | null };

export interface XmlProcess {
  gpuIndex: number;
  gpuUuid: string;
  pid: number;
  type: string | null;
  name: string | null;
  usedMemoryMiB: number | null;
}

export interface ParsedXml {
  driverVersion: string | null;
  cudaVersion: string | null;
  gpus: XmlGpu[];
  processes: XmlProcess[];
}

const ENTITIES: Record<string, string> = { amp: '&', lt: '<', gt: '>', quot: '"', apos: "'" };
const decode = (s: string) =>
  s.replace(/&(#x[0-9a-f]+|#\d+|\w+);/gi, (m, e: string) =>
    e[0] === '#' ? String.fromCodePoint(e[1] === 'x' || e[1] === 'X' ? parseInt(e.slice(2), 16) : Number(e.slice(1))) : (ENTITIES[e] ?? m),
  );

/** A small non-validating XML reader (elements, attributes, text): enough for nvidia-smi, no dependency. */
export function parseXml(text: string): XmlNode {
  const root: XmlNode = { name: '#document', attrs: {}, children: [], text: '' };
  const stack: XmlNode[] = [root];
  const tag = /<!--[\s\S]*?-->|<\?[\s\S]*?\?>|<!DOCTYPE[^>]*>|<!\[CDATA\[([\s\S]*?)\]\]>|<(\/?)([A-Za-z_][\w.:-]*)((?:\s+[\w.:-]+\s*=\s*(?:"[^"]*"|'[^']*'))*)\s*(\/?)>/g;
  let last = 0;
  for (let m = tag.exec(text); m; m = tag.exec(text)) {
    const top = stack.at(-1)!;
    top.text += decode(text.slice(last, m.index));
    last = tag.lastIndex;
    if (m[1] !== undefined) top.text += m[1];
    if (!m[3]) continue;
    if (m[2] === '/') {
      if (top.name !== m[3]) throw new Error(`Malformed XML: </${m[3]}> closes <${top.name}>.`);
      stack.pop();
      continue;
    }
    const attrs: Record<string, string> = {};
    for (const a of (m[4] ?? '').matchAll(/([\w.:-]+)\s*=\s*(?:"([^"]*)"|'([^']*)')/g)) attrs[a[1]!] = decode(a[2] ?? a[3] ?? '');
    const node: XmlNode = { name: m[3], attrs, children: [], text: '' };
    top.children.push(node);
    if (m[5] !== '/') stack.push(node);
  }
  if (stack.length !== 1) throw new Error(`Malformed XML: <${stack.at(-1)!.name}> is never closed.`);
  return root;
}

/** Text of the first descendant path ("fb_memory_usage/total"), trimmed; null when absent. */
export function xmlText(node: XmlNode | undefined, path: string): string | null {
  let cur: XmlNode | undefined = node;
  for (const part of path.split('/')) cur = cur?.children.find((c) => c.name === part);
  return cur ? cur.text.trim() : null;
}

const child = (node: XmlNode | undefined, name: string) => node?.children.find((c) => c.name === name);

export function parseNvidiaSmiXml(text: string): ParsedXml {
  const log = child(parseXml(text), 'nvidia_smi_log');
  if (!log) throw new Error('Not nvidia-smi XML: no <nvidia_smi_log> element.');
  const driverVersion = cleanValue(xmlText(log, 'driver_version'));
  const out: ParsedXml = { driverVersion, cudaVersion: cleanValue(xmlText(log, 'cuda_version')), gpus: [], processes: [] };
  log.children
    .filter((c) => c.name === 'gpu')
    .forEach((g, index) => {
      const uuid = cleanValue(xmlText(g, 'uuid')) ?? `GPU-index-${index}`;
      // v12+ moved power under gpu_power_readings (instant and average); older files have power_readings/power_draw.
      const power =
        xmlText(g, 'gpu_power_readings/power_draw') ??
        xmlText(g, 'gpu_power_readings/instant_power_draw') ??
        xmlText(g, 'power_readings/power_draw');
      const limit =
        xmlText(g, 'gpu_power_readings/current_power_limit') ??
        xmlText(g, 'gpu_power_readings/power_limit') ??
        xmlText(g, 'power_readings/power_limit');
      out.gpus.push({
        // nvidia-smi lists GPUs in its own index order (PCI bus order), so the position is the index.
        index,
        uuid,
        name: cleanValue(xmlText(g, 'product_name')) ?? 'NVIDIA GPU',
        vendor: 'nvidia',
        pciBusId: cleanValue(xmlText(g, 'pci/pci_bus_id')) ?? g.attrs['id'] ?? null,
        driverVersion,
        memoryTotalMiB: numberValue(xmlText(g, 'fb_memory_usage/total')),
        memoryUsedMiB: numberValue(xmlText(g, 'fb_memory_usage/used')),
        memoryFreeMiB: numberValue(xmlText(g, 'fb_memory_usage/free')),
        utilizationGpuPct: numberValue(xmlText(g, 'utilization/gpu_util')),
        utilizationMemoryPct: numberValue(xmlText(g, 'utilization/memory_util')),
        temperatureC: numberValue(xmlText(g, 'temperature/gpu_temp')),
        powerDrawW: numberValue(power),
        powerLimitW: numberValue(limit),
        clockSmMHz: numberValue(xmlText(g, 'clocks/sm_clock')),
        clockMemMHz: numberValue(xmlText(g, 'clocks/mem_clock')),
        pstate: cleanValue(xmlText(g, 'performance_state')),
        computeMode: cleanValue(xmlText(g, 'compute_mode')),
        migMode: cleanValue(xmlText(g, 'mig_mode/current_mig')),
        architecture: cleanValue(xmlText(g, 'product_architecture')),
        memoryReservedMiB: numberValue(xmlText(g, 'fb_memory_usage/reserved')),
      });
      for (const p of child(g, 'processes')?.children.filter((c) => c.name === 'process_info') ?? []) {
        const pid = numberValue(xmlText(p, 'pid'));
        if (pid === null) continue;
        out.processes.push({
          gpuIndex: index,
          gpuUuid: uuid,
          pid,
          type: cleanValue(xmlText(p, 'type')),
          name: cleanValue(xmlText(p, 'process_name')),
          usedMemoryMiB: numberValue(xmlText(p, 'used_memory')),
        });
      }
    });
  return out;
}
