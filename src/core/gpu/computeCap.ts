/** Each card's CUDA compute capability ("8.6"), asked once per detection: it never changes while a card is present. */
import { runTool } from './runTool.js';
import { parseCsvRecords } from './smiCsv.js';
import { cleanValue } from './smiValues.js';

const FIELDS = ['uuid', 'compute_cap'] as const;

/**
 * A `--query-gpu=uuid,compute_cap` answer → uuid → "major.minor". Drivers before 510 do not know the field (the tool
 * then fails or prints [N/A]): such a card simply has no entry, and nothing is warned about it.
 */
export function parseComputeCaps(text: string): Map<string, string> {
  const out = new Map<string, string>();
  for (const r of parseCsvRecords(text, FIELDS).rows) {
    const uuid = r['uuid'];
    const cap = cleanValue(r['compute_cap']);
    if (uuid && cap && /^\d{1,2}\.\d{1,2}$/.test(cap)) out.set(uuid, cap);
  }
  return out;
}

/** Asked separately from the live stream so an old driver that rejects the field cannot break telemetry. */
export async function queryComputeCaps(tool: string, env: NodeJS.ProcessEnv, timeoutMs: number): Promise<Map<string, string>> {
  const r = await runTool(tool, [`--query-gpu=${FIELDS.join(',')}`, '--format=csv,noheader,nounits'], env, timeoutMs);
  return r.code === 0 && !r.timedOut ? parseComputeCaps(r.stdout) : new Map();
}
