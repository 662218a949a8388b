/** The page's access to the engine: a token the person pasted, and connecting again at once (the blocked screen's actions). */
import { reconnectNow } from '../api/client.js';
import { setToken } from '../api/token.js';

/** Keeps a pasted URL or token and reconnects with it now; false when it holds no token. */
export function applyAccessToken(value: string): boolean {
  const ok = setToken(value);
  if (ok) reconnectNow();
  return ok;
}
