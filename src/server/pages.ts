/** Small HTML pages the server answers itself: refused (no/wrong token) and renderer not built. */
import type { ServerResponse } from 'node:http';
import { securityHeaders } from './staticFiles.js';

const escape = (s: string) => s.replace(/[&<>"']/g, (c) => `&#${c.charCodeAt(0)};`);

export function sendPage(res: ServerResponse, status: number, title: string, body: string): void {
  res.writeHead(status, { ...securityHeaders(), 'Content-Type': 'text/html; charset=utf-8', 'Cache-Control': 'no-store' });
  res.end(`<!doctype html><html lang="en"><head><meta charset="utf-8"><title>Trainyard — ${escape(title)}</title>
<style>body{font:15px system-ui,sans-serif;background:#111418;color:#e6e8eb;display:grid;place-items:center;height:100vh;margin:0}
main{max-width:36rem;padding:2rem;border:1px solid #2a2f36;border-radius:12px;background:#181c21}h1{font-size:1.2rem}code{background:#0c0e11;padding:2px 6px;border-radius:4px}</style>
</head><body><main><h1>${escape(title)}</h1>${body}</main></body></html>`);
}

export function sendRefused(res: ServerResponse, status: number, reason: string): void {
  sendPage(
    res,
    status,
    status === 401 ? 'This Trainyard needs its access token' : 'Request refused',
    `<p>${escape(reason)}</p><p>Open the full URL that <code>trainyard serve</code> printed when it started (it ends in <code>?token=…</code>). ` +
      'If the engine was restarted, it printed a new one.</p>',
  );
}
