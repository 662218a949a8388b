/** Serves the built renderer (out/renderer) with a strict Content-Security-Policy and no directory escapes. */
import { constants, createReadStream, existsSync, statSync } from 'node:fs';
import { open, type FileHandle } from 'node:fs/promises';
import type { ServerResponse } from 'node:http';
import { pipeline } from 'node:stream';
import { extname, join, normalize, resolve, sep } from 'node:path';

const TYPES: Record<string, string> = {
  '.html': 'text/html; charset=utf-8',
  '.js': 'text/javascript; charset=utf-8',
  '.css': 'text/css; charset=utf-8',
  '.svg': 'image/svg+xml',
  '.png': 'image/png',
  '.ico': 'image/x-icon',
  '.woff2': 'font/woff2',
  '.json': 'application/json',
  '.map': 'application/json',
};

export function contentSecurityPolicy(): string {
  // connect-src 'self' covers ws:// to the same host:port in current browsers (CSP Level 3).
  return [
    "default-src 'self'",
    "script-src 'self'",
    "style-src 'self' 'unsafe-inline'",
    "img-src 'self' data: blob:",
    "font-src 'self' data:",
    "connect-src 'self'",
    "object-src 'none'",
    "base-uri 'none'",
    "frame-ancestors 'none'",
    "form-action 'none'",
  ].join('; ');
}

export function securityHeaders(): Record<string, string> {
  return {
    'Content-Security-Policy': contentSecurityPolicy(),
    'X-Content-Type-Options': 'nosniff',
    'Referrer-Policy': 'no-referrer',
    'Cross-Origin-Opener-Policy': 'same-origin',
    'Cross-Origin-Resource-Policy': 'same-origin',
  };
}

/** Resolves a URL path inside root; unknown paths fall back to index.html (single-page app). */
export function resolveStatic(root: string, urlPath: string): string | null {
  const base = resolve(root);
  let rel: string;
  try {
    rel = decodeURIComponent(urlPath);
  } catch {
    return null;
  }
  const target = normalize(join(base, rel));
  if (target !== base && !target.startsWith(base + sep)) return null;
  if (existsSync(target) && statSync(target).isFile()) return target;
  const index = join(base, 'index.html');
  return extname(rel) === '' && existsSync(index) ? index : null;
}

/** The precompressed copy the client accepts (the build writes `.br` and `.gz` beside each text asset), brotli first. */
function encodedCopy(path: string, acceptEncoding: string | undefined): { file: string; encoding: string } | null {
  const accepted = new Set(
    (acceptEncoding ?? '')
      .split(',')
      .map((part) => part.trim().split(';'))
      .filter(([, q]) => !q || Number(q.trim().replace(/^q=/, '')) > 0)
      .map(([name]) => name!.trim().toLowerCase()),
  );
  const accepts = (name: string) => accepted.has(name);
  for (const [encoding, ext] of [['br', '.br'], ['gzip', '.gz']] as const) {
    if (!accepts(encoding)) continue;
    try {
      if (statSync(path + ext).isFile()) return { file: path + ext, encoding };
    } catch {
      // No precompressed copy of this one: send it plain.
    }
  }
  return null;
}

export function sendFile(res: ServerResponse, path: string, acceptEncoding?: string): void {
  const type = TYPES[extname(path)] ?? 'application/octet-stream';
  const immutable = path.includes(`${sep}assets${sep}`);
  const encoded = encodedCopy(path, acceptEncoding);
  res.writeHead(200, {
    ...securityHeaders(),
    'Content-Type': type,
    'Cache-Control': immutable ? 'public, max-age=31536000, immutable' : 'no-cache',
    Vary: 'Accept-Encoding',
    ...(encoded ? { 'Content-Encoding': encoded.encoding } : {}),
  });
  pipeline(createReadStream(encoded?.file ?? path), res, () => {});
}

/**
 * Opens a file for streaming only when it is a regular file: never a FIFO or device (a read would block or never end)
 * and never through a symlink at the last component. O_NONBLOCK makes even the open of a FIFO return at once.
 */
export async function openRegularFile(path: string): Promise<FileHandle | null> {
  let fh: FileHandle;
  try {
    fh = await open(path, constants.O_RDONLY | constants.O_NONBLOCK | constants.O_NOFOLLOW);
  } catch {
    return null;
  }
  if ((await fh.stat()).isFile()) return fh;
  await fh.close();
  return null;
}
