/** Watching an inference server come up: new lines of its console log (loading progress, port clashes) and GET /v1/models. */
import { stripAnsi } from '../metrics/consoleParser.js';
import { fileSize, readRange } from '../runs/logFile.js';

/** Reads only what was appended since the last call; keeps a partial last line for next time. */
export class LogTail {
  private offset = 0;
  private partial = '';
  constructor(private path: string) {}

  lines(): string[] {
    const end = fileSize(this.path);
    if (end <= this.offset) return [];
    const text = this.partial + readRange(this.path, this.offset, end).toString('utf8');
    this.offset = end;
    // tqdm redraws with \r: each redraw is a line of its own for progress purposes.
    const parts = text.split(/\r\n|\n|\r/);
    this.partial = parts.pop() ?? '';
    return parts.map((l) => stripAnsi(l).trim()).filter(Boolean);
  }

  /** The last `n` lines of the whole file (for a failure report). */
  static tail(path: string, n = 40): string {
    const end = fileSize(path);
    const text = stripAnsi(readRange(path, Math.max(0, end - 16 * 1024), end).toString('utf8'));
    return text
      .split(/\r\n|\n|\r/)
      .filter((l) => l.trim())
      .slice(-n)
      .join('\n');
  }
}

export const ADDRESS_IN_USE = /address already in use|Errno 98|EADDRINUSE/i;

/** Lines worth showing as loading progress (skip access logs and blank tqdm frames). */
export function progressLine(line: string): string | null {
  if (/"(GET|POST) \/v1\//.test(line)) return null;
  return line.length > 240 ? `${line.slice(0, 237)}…` : line;
}

/** The model id when GET /v1/models answers 200 with our key; null while it is not up (refused, 401 from a stranger, …). */
export async function probeModels(baseURL: string, apiKey: string, timeoutMs = 2000): Promise<string | null> {
  try {
    const r = await fetch(`${baseURL}/models`, {
      headers: { Authorization: `Bearer ${apiKey}` },
      signal: AbortSignal.timeout(timeoutMs),
    });
    if (r.status !== 200) return null;
    const body = (await r.json()) as { data?: { id?: unknown }[] };
    const id = body.data?.[0]?.id;
    return typeof id === 'string' ? id : null;
  } catch {
    return null;
  }
}
