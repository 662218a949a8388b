/** The serve host's access token in the page: taken from the URL fragment once, kept in this tab's sessionStorage (never a cookie: cookies reach every app on 127.0.0.1). */
import { TOKEN_FRAGMENT, TOKEN_PATTERN } from '../../shared/auth.js';

const KEY = 'trainyard.token';

function storage(): Storage | null {
  try {
    return window.sessionStorage;
  } catch {
    // Storage can be disabled by the browser's settings: the token then lives only as long as this page.
    return null;
  }
}

let inMemory: string | null = null;

/**
 * Moves a token from the address into storage and takes it out of the address bar and history. The fragment is
 * `#token=T`, optionally followed by the app's own hash route (`#token=T#/runs/<id>`, a deep link); a legacy
 * `?token=T` query works too. Returns whether a token was found.
 */
export function adoptTokenFromUrl(): boolean {
  const inFragment = new RegExp(`^#${TOKEN_FRAGMENT}=([^#&]*)&?(.*)$`).exec(location.hash);
  const query = new URLSearchParams(location.search);
  const found = inFragment?.[1] ?? query.get(TOKEN_FRAGMENT);
  if (found === null || found === undefined) return false;
  query.delete(TOKEN_FRAGMENT);
  const route = inFragment ? inFragment[2]!.replace(/^#?/, '') : location.hash.replace(/^#/, '');
  history.replaceState(history.state, '', location.pathname + (query.toString() ? `?${query}` : '') + (route ? `#${route}` : ''));
  return setToken(decodeURIComponent(found));
}

/** Stores a token the person pasted (or the whole URL that carries one); false when it is not token-shaped. */
export function setToken(input: string): boolean {
  const text = input.trim();
  const fromUrl = /[#?&]token=([^&#\s]+)/.exec(text)?.[1];
  const token = fromUrl ?? text;
  if (!TOKEN_PATTERN.test(token)) return false;
  inMemory = token;
  storage()?.setItem(KEY, token);
  return true;
}

export function currentToken(): string | null {
  return inMemory ?? storage()?.getItem(KEY) ?? null;
}
