/** "Copy diagnostics": one text a user can paste into a bug report — versions, settings with secrets masked, the GPU snapshot and the log's last megabyte. */
import { execFile } from 'node:child_process';
import type { GpuSnapshot } from '../../shared/types/gpu.js';
import type { Settings } from '../../shared/types/settings.js';
import type { CoreContext } from '../context.js';
import { logFile } from '../log/logger.js';
import { fileSize, readRange } from '../runs/logFile.js';

/** What a bug report needs of the log: the end, where the problem just happened. */
export const DIAGNOSTICS_LOG_BYTES = 1024 * 1024;

/** A webhook URL carries its own secret (Slack, Feishu and DingTalk put the key in the path or query): keep only the host. */
export function maskSettings(s: Settings): Record<string, unknown> {
  const masked: Record<string, unknown> = { ...s };
  if (s.webhookUrl) {
    let host = 'set';
    try {
      host = new URL(s.webhookUrl).host;
    } catch {
      /* not a URL: say only that one is set */
    }
    masked.webhookUrl = `<masked: ${host}>`;
  }
  return masked;
}

/** The last `max` bytes of the log (and of the rotated one before it when the current file is short), cut at a line start. */
export function logTail(file: string | null, max = DIAGNOSTICS_LOG_BYTES): string {
  if (!file) return '(no log file: this engine logs to stderr only)';
  const size = fileSize(file);
  const fromCurrent = readRange(file, Math.max(0, size - max), size);
  const need = max - fromCurrent.length;
  const olderSize = need > 0 ? fileSize(`${file}.1`) : 0;
  const older = readRange(`${file}.1`, Math.max(0, olderSize - need), olderSize);
  const text = Buffer.concat([older, fromCurrent]).toString('utf8');
  const cut = older.length + fromCurrent.length >= max ? text.indexOf('\n') + 1 : 0;
  return text.slice(cut) || '(the log is empty)';
}

/**
 * A tool's version line, asked without blocking the engine (LLaMA-Factory imports torch: seconds) and given up after
 * 20 s, so a hung tool cannot hang the report.
 */
function toolVersion(cmd: string | null, args: string[], env: NodeJS.ProcessEnv): Promise<string> {
  if (!cmd) return Promise.resolve('not found');
  return new Promise((resolve) => {
    execFile(cmd, args, { env, timeout: 20_000, encoding: 'utf8', maxBuffer: 256 * 1024 }, (err, stdout, stderr) => {
      const line = `${stdout}${stderr}`.trim().split('\n').filter((l) => /\d+\.\d+/.test(l)).at(-1);
      resolve(err && !line ? `did not answer (${err.message.split('\n')[0]})` : (line ?? '').trim());
    });
  });
}

export async function buildDiagnostics(ctx: CoreContext, gpus: () => GpuSnapshot, trainers: { llamafactoryCli: string | null; demoPython: string | null }): Promise<string> {
  const runtime = ctx.runtime;
  const facts = {
    trainyard: runtime.version,
    host: ctx.host,
    platform: `${process.platform}-${process.arch}`,
    node: process.versions.node,
    electron: process.versions.electron ?? null,
    dataDir: ctx.paths.dataDir,
    llamafactory: await toolVersion(trainers.llamafactoryCli, ['version'], { ...ctx.env, DISABLE_VERSION_CHECK: '1' }),
    python: await toolVersion(trainers.demoPython, ['--version'], ctx.env),
    at: new Date().toISOString(),
  };
  const section = (title: string, body: string) => `## ${title}\n\n${body.trimEnd()}\n`;
  return [
    '# Trainyard diagnostics',
    '',
    section('Versions', JSON.stringify(facts, null, 2)),
    section('Settings (secrets masked)', JSON.stringify(maskSettings(ctx.settings()), null, 2)),
    section('GPUs', JSON.stringify(gpus(), null, 2)),
    section(`engine.log (last ${DIAGNOSTICS_LOG_BYTES / 1024} KiB)`, logTail(logFile())),
  ].join('\n');
}
