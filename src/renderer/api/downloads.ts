/** Downloads from the serve host by navigation: the page trades its token for a one-minute ticket URL, so the browser streams the file (a log of gigabytes never goes through memory). */
import { currentToken } from './token.js';

export async function downloadFromEngine(path: string): Promise<void> {
  const r = await fetch(`/api/ticket?path=${encodeURIComponent(path)}`, {
    headers: { Authorization: `Bearer ${currentToken() ?? ''}` },
    cache: 'no-store',
  });
  if (!r.ok) throw new Error(r.status === 401 ? 'The engine refused the access token.' : `The engine answered ${r.status}.`);
  const { url } = (await r.json()) as { url: string };
  const a = document.createElement('a');
  a.href = url;
  a.download = '';
  document.body.appendChild(a);
  a.click();
  a.remove();
}
