/** How an error reads in the user's language: engine errors (RpcError) through the catalogue, anything else as its message. */
import { RpcError } from '../../shared/rpc/errors.js';

/** How an engine error reads in the user's language; set once at start-up (main.tsx) so this file needs neither the settings store nor the catalogues. */
let wordError: (e: RpcError) => string = (e) => e.message;
export function setErrorWording(word: (e: RpcError) => string): void {
  wordError = word;
}

export function errorMessage(e: unknown): string {
  if (e instanceof RpcError) return wordError(e);
  return e instanceof Error ? e.message : String(e);
}
